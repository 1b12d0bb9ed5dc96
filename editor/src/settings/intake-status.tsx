// Where the intake of an account stands, per folder (state, last UID, back-fill progress).
// GET /api/mail/intake/:id is not served yet (issue 20, intake part): until it is, nothing shows.
export function IntakeStatus({ accountId }: { accountId: string }) {
  void accountId;
  return null;
}
