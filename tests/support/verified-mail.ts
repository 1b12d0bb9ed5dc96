// Mail as it arrives from the operator's own receiving server, which checked the sender (DMARC)
// and said so in an Authentication-Results field that Trellis is configured to trust.
import type { SenderVerification, VerifySenderOptions } from '../../mail/verify-sender.ts';

export const RECEIVING_SERVER = 'mx.studio.test';

export const trustReceivingServer: VerifySenderOptions = { trustedAuthservIds: [RECEIVING_SERVER] };

export function verifiedByReceivingServer(raw: string): string {
  return `Authentication-Results: ${RECEIVING_SERVER}; dkim=pass; dmarc=pass\r\n${raw}`;
}

/** For event drafts a test writes itself: what parsing such a mail records. */
export const verifiedSender: SenderVerification = {
  status: 'pass',
  method: 'authentication-results',
  reason: `${RECEIVING_SERVER} says dmarc=pass`,
};
