import { describe, expect, it } from 'vitest';
import { approvalOf, startOfUtcDay } from '../../nodes/send-email/approval.ts';
import type { SendEmailConfig, SendEmailInput } from '../../nodes/send-email/definition.ts';

const config: SendEmailConfig = { account: 'studio', mode: 'reply', attachInvoice: false };
const auto: SendEmailConfig = { ...config, autoSend: { minConfidence: 0.8, maxPerDay: 2 } };
const input = (extra: Partial<SendEmailInput> = {}): SendEmailInput => ({ body: 'Hi', ...extra });

describe('who lets a message go', () => {
  it('a person: approved or edited in review, even an answer to an auto-reply', () => {
    expect(approvalOf(input({ decision: 'approved', reviewer: 'ana' }), config, 0)).toEqual({
      approvedBy: 'ana',
      note: 'approved by ana in review',
    });
    expect(approvalOf(input({ decision: 'edited' }), auto, 99)).toMatchObject({ approvedBy: 'a reviewer' });
  });

  it('a rejection or an expiry never sends, even with autoSend', () => {
    expect(approvalOf(input({ decision: 'rejected', confidence: 1 }), auto, 0)).toHaveProperty('refused');
    expect(approvalOf(input({ decision: 'expired', confidence: 1 }), auto, 0)).toHaveProperty('refused');
  });

  it('autoSend: confident enough and under the cap, never for automated mail', () => {
    expect(approvalOf(input({ confidence: 0.8 }), auto, 1)).toMatchObject({ approvedBy: 'auto' });
    expect(approvalOf(input({ confidence: 0.79 }), auto, 0)).toHaveProperty('refused');
    expect(approvalOf(input({ confidence: 0.9 }), auto, 2)).toHaveProperty('refused');
    expect(approvalOf(input({}), auto, 0)).toEqual({ refused: 'autoSend needs a confidence in the input' });
    expect(approvalOf(input({ confidence: 0.9 }), config, 0)).toHaveProperty('refused');
  });

  it('counts the day from midnight UTC', () => {
    expect(startOfUtcDay(new Date('2026-12-07T23:59:59+02:00')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
});
