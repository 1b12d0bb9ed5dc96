export const templateParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const useTemplateBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    parameters: { type: 'object', default: {} },
    name: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;
