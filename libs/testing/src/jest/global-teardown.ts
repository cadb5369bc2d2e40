export default async function globalTeardown(): Promise<void> {
  const postgres = (globalThis as { __SC_TEST_POSTGRES__?: { stop(): Promise<void> } }).__SC_TEST_POSTGRES__;
  await postgres?.stop();
}
