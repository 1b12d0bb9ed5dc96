import type { FromSchema } from 'json-schema-to-ts';

// What a gallery template needs besides its node types, so the gallery can say so before the
// person fills in the parameters. Shared by the template files, the server and the editor.

export const templateNeedsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mailAccounts: {
      type: 'array',
      minItems: 1,
      title: 'Mail accounts',
      description: 'Each parameter that names a mail account (Settings → Mail), and what the account is for.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['parameter', 'purpose'],
        properties: {
          parameter: { type: 'string', minLength: 1, maxLength: 100, title: 'Parameter naming the account' },
          purpose: { type: 'string', minLength: 1, maxLength: 300, title: 'What the account is used for' },
          optional: {
            type: 'boolean',
            title: 'Optional',
            description: 'True when the template also works without one (e.g. leads from a web form).',
          },
        },
      },
    },
  },
} as const;

export type TemplateNeeds = FromSchema<typeof templateNeedsSchema>;
export type MailAccountNeed = NonNullable<TemplateNeeds['mailAccounts']>[number];
