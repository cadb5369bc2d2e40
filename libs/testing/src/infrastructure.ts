/**
 * The infrastructure suites need a real Kafka broker. A developer's machine without one
 * skips them and says why; CI starts the broker and sets KAFKA_BROKERS, so they always run.
 */
export const kafkaBrokers = (): string[] | undefined =>
  process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);

export function describeWithKafka(name: string, fn: () => void): void {
  if (kafkaBrokers()?.length) {
    describe(name, fn);
    return;
  }
  const reason =
    'KAFKA_BROKERS is unset (start a broker with npm run kafka:start and set KAFKA_BROKERS=127.0.0.1:9092; CI always does)';
  console.warn(`Skipping "${name}": ${reason}`);
  describe.skip(`${name} [skipped: ${reason}]`, fn);
}
