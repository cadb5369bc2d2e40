import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { toBinaryMode, type EventEnvelope } from '@servicecenter/contracts';
import { textHeadersOf } from './kafka-transport';

/**
 * patches/kafkajs+2.2.4.patch (applied by the root package's `postinstall`, patch-package;
 * docs/performance.md change NN): kafkajs encodes a record into one buffer of its exact size
 * instead of a zero-filled 512-byte buffer per header and a buffer per varint, groups a
 * batch's messages per partition without copying, and decodes a record's headers without
 * copying the object per header, only when `headers` is first read (the transport reads them
 * as text from the record's bytes), and a record's offset and timestamp as numbers when safe;
 * it writes a record batch and a produce request into one encoder each, with the batch's CRC-32C
 * computed by @node-rs/crc32. The bytes on the wire must not change: consumers with any Kafka
 * client read our records. Here kafkajs' record encoder is checked against an encoder written
 * from the Kafka protocol's record format (https://kafka.apache.org/documentation/#record),
 * records, batches and produce requests against unpatched kafkajs 2.2.4 (the installed copy
 * with the patch reversed), the CRC against the Castagnoli reference, and the decoder against
 * what the former one returned.
 */
const kafkajs = createRequire(require.resolve('kafkajs'));
type Headers = Record<string, string | Buffer | (string | Buffer)[]>;
interface EncoderInstance {
  buffer: Buffer;
  writeVarLong(value: number): EncoderInstance;
  writeUVarInt(value: number): EncoderInstance;
  writeVarInt(value: number): EncoderInstance;
  writeInt8(value: number): EncoderInstance;
}
const Encoder = kafkajs('./src/protocol/encoder') as {
  new (initialSize?: number): EncoderInstance;
  sizeOfVarLong(value: number): number;
};
const Decoder = kafkajs('./src/protocol/decoder') as new (buffer: Buffer) => unknown;
const encodeRecord = kafkajs('./src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta?: number;
  timestampDelta?: number;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Headers;
}) => EncoderInstance;
const decodeRecord = kafkajs('./src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  batchContext: { firstOffset: string; firstTimestamp: string },
) => { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> };
const groupMessagesPerPartition = kafkajs('./src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: { partitionId: number }[];
  messages: { key: string }[];
  partitioner: (args: { message: { key: string } }) => number;
}) => Record<string, { key: string }[]>;

// --- the reference: Kafka's record format, from its documentation -------------------------

/** Unsigned LEB128 of a non-negative integer. */
function uvarint(value: bigint): number[] {
  const bytes: number[] = [];
  while (value >= 0x80n) {
    bytes.push(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  bytes.push(Number(value));
  return bytes;
}
/** Zigzag varint (`varint` for int32, `varlong` for int64: the same bytes for the same value). */
const varint = (value: number | bigint): number[] => {
  const v = BigInt(value);
  return uvarint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
};
const bytesOf = (value: string | Buffer | null): number[] =>
  value === null ? varint(-1) : [...varint(Buffer.byteLength(value)), ...Buffer.from(value)];

function referenceRecord(
  offsetDelta: number,
  timestampDelta: number,
  key: string | null,
  value: string | null,
  headers: Headers,
): Buffer {
  const pairs = Object.entries(headers).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((one) => [...bytesOf(name), ...bytesOf(one)]),
  );
  const body = [
    0, // attributes
    ...varint(timestampDelta),
    ...varint(offsetDelta),
    ...bytesOf(key),
    ...bytesOf(value),
    ...varint(pairs.length),
    ...pairs.flat(),
  ];
  return Buffer.from([...varint(body.length), ...body]);
}

// --- generators ----------------------------------------------------------------------------

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const longText = fc.string({ unit: 'grapheme', minLength: 60, maxLength: 400 });
// ASCII around 64 characters: the patched record writes short ASCII header strings by a loop.
const ascii = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', minLength: 60, maxLength: 70 }),
);
const bufferArb = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
const headerValue = fc.oneof(
  text,
  longText,
  ascii,
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
);
const headersArb = fc.dictionary(
  fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), ascii),
  fc.oneof(headerValue, fc.array(headerValue, { minLength: 1, maxLength: 3 })),
  { maxKeys: 20 },
);
const timestampDelta = fc.oneof(
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.constantFrom(2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31, -(2 ** 31) - 1),
);

describe('kafkajs patch (patches/kafkajs+2.2.4.patch)', () => {
  it('is applied to the installed kafkajs (the root postinstall ran patch-package)', () => {
    const source = readFileSync(kafkajs.resolve('./src/protocol/recordBatch/record/v0/index.js'), 'utf8');
    expect(source).toContain('patched (servicecenter)');
  });

  it('encodes varints and varlongs as the protocol does, for every safe integer', () => {
    fc.assert(
      fc.property(timestampDelta, (value) => {
        expect([...new Encoder().writeVarLong(value).buffer]).toEqual(varint(value));
        expect(Encoder.sizeOfVarLong(value)).toBe(varint(value).length);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        expect([...new Encoder().writeUVarInt(value).buffer]).toEqual(uvarint(BigInt(value)));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        expect([...new Encoder().writeVarInt(value).buffer]).toEqual(varint(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('hands out only written bytes, also when an encoder grows past its first buffer', () => {
    const encoder = new Encoder(1);
    const expected: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      encoder.writeInt8(i % 100);
      expected.push(i % 100);
      encoder.writeVarLong(i * 1_000);
      expected.push(...varint(i * 1_000));
    }
    expect([...encoder.buffer]).toEqual(expected);
  });

  it('encodes a record byte for byte as the protocol defines it', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        timestampDelta,
        fc.option(text),
        fc.option(fc.oneof(text, longText)),
        headersArb,
        (offsetDelta, delta, key, value, headers) => {
          const encoded = encodeRecord({ offsetDelta, timestampDelta: delta, key, value, headers }).buffer;
          expect(encoded.equals(referenceRecord(offsetDelta, delta, key, value, headers))).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('encodes one of our events (binary mode: a header per CloudEvents attribute) as the protocol defines it, and decodes its headers and value', () => {
    const event: EventEnvelope = {
      specversion: '1.0',
      id: '0b8f5c8e-8f6e-4d7a-9a57-5b0d0f0c2a11',
      source: '/servicecenter/requests',
      type: 'servicecenter.request.registered.v1',
      time: '2026-11-23T16:00:00.000Z',
      subject: 'c5a2a9a4-3b7e-4a3f-9d55-0a3c1c7f9e01',
      datacontenttype: 'application/json',
      correlationid: 'corr-1',
      causationid: 'cause-1',
      actor: 'system:requests',
      sequence: '00000000000000000042',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: { title: 'Laptop kapot – scherm flikkert', priority: 'P2' },
    };
    const { headers, body } = toBinaryMode(event);
    const encoded = encodeRecord({
      offsetDelta: 3,
      timestampDelta: 17,
      key: event.subject,
      value: body,
      headers,
    }).buffer;
    expect(encoded.equals(referenceRecord(3, 17, event.subject, body, headers))).toBe(true);

    const decoder = new Decoder(encoded) as { readVarInt(): number };
    decoder.readVarInt(); // the record's length, read by the batch decoder before the record
    const record = decodeRecord(decoder, { firstOffset: '100', firstTimestamp: '1764000000000' });
    expect(record.offset).toBe('103');
    expect(record.timestamp).toBe('1764000000017');
    expect(record.key?.toString()).toBe(event.subject);
    expect(record.value?.toString()).toBe(body);
    expect(Object.keys(record.headers)).toEqual(Object.keys(headers));
    for (const [name, value] of Object.entries(headers))
      expect((record.headers[name] as Buffer).toString('utf8')).toBe(value);
    expect(Object.keys(headers).filter((h) => h.startsWith('ce_'))).toHaveLength(11);
  });

  it('decodes headers as the former decoder did: the first value, a repeated header as an array in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('ce_id', 'ce_type', 'x', '__proto__', 'constructor'),
              fc.string({ unit: 'grapheme', maxLength: 12 }),
            ),
            fc.string({ unit: 'grapheme', maxLength: 20 }),
          ),
          {
            maxLength: 12,
          },
        ),
        (pairs) => {
          const wire = [...varint(pairs.length), ...pairs.flatMap(([k, v]) => [...bytesOf(k), ...bytesOf(v)])];
          const body = [0, ...varint(0), ...varint(0), ...varint(-1), ...varint(-1), ...wire];
          const decoder = new Decoder(Buffer.from(body));
          const { headers } = decodeRecord(decoder, { firstOffset: '0', firstTimestamp: '0' });
          // What kafkajs 2.2.4 returned (its reduce over the decoded pairs).
          const former = pairs.reduce<Record<string, unknown>>(
            (obj, [key, value]) => ({
              ...obj,
              [key]:
                obj[key] === undefined
                  ? Buffer.from(value)
                  : Array.isArray(obj[key])
                    ? (obj[key] as Buffer[]).concat([Buffer.from(value)])
                    : [obj[key], Buffer.from(value)],
            }),
            {},
          );
          expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
          expect(Object.keys(headers)).toEqual(Object.keys(former));
          for (const key of Object.keys(former)) expect(headers[key]).toEqual(former[key]);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("reads a record's headers as text from its bytes as from kafkajs' headers: the first value, a null first value or `__proto__` left out", () => {
    const headerValueOrNull = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant(null));
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('ce_id', 'ce_type', 'x', '1', '__proto__', 'toString'),
              fc.string({ unit: 'grapheme', maxLength: 12 }),
            ),
            headerValueOrNull,
          ),
          { maxLength: 12 },
        ),
        (pairs) => {
          const wire = [...varint(pairs.length), ...pairs.flatMap(([k, v]) => [...bytesOf(k), ...bytesOf(v)])];
          const body = [0, ...varint(0), ...varint(0), ...varint(-1), ...varint(-1), ...wire];
          const record = decodeRecord(new Decoder(Buffer.from(body)), { firstOffset: '0', firstTimestamp: '0' });
          // The first value of each name, unless it is null; `__proto__` is no key of a plain object.
          const expected: Record<string, string> = {};
          const seen = new Set<string>();
          for (const [name, value] of pairs) {
            if (seen.has(name)) continue;
            seen.add(name);
            if (value !== null && name !== '__proto__') expected[name] = value;
          }
          const fromBytes = textHeadersOf(record as never);
          expect(Object.entries(fromBytes)).toEqual(Object.entries(expected));
          // What the transport read from kafkajs' headers before (names of Object.prototype aside:
          // kafkajs' reduce made those an array with the prototype's function first).
          if (!pairs.some(([name]) => name in Object.prototype && name !== '__proto__'))
            expect(Object.entries(textHeadersOf({ headers: record.headers as never }))).toEqual(
              Object.entries(fromBytes),
            );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('reads the header texts that repeat at a position from record to record as a fresh decode does, ASCII or not', () => {
    // The transport keeps the text last decoded at each header position: bytes of equal length
    // that only differ beyond ASCII (é as a character, as its byte in Latin-1, as invalid UTF-8)
    // must not be taken for it.
    const value = fc.oneof(
      fc.constantFrom<string | Buffer>(
        'application/json',
        'servicecenter.request.registered.v1',
        'é',
        '\uFFFD',
        'x\uFFFD',
        'AA',
        Buffer.from([0xe9]),
        Buffer.from([0xe9, 0x41]),
        Buffer.from([0x41, 0xe9]),
        Buffer.from([0xff]),
        Buffer.from([0xc3, 0xa9]),
        Buffer.from([0x41, 0xff]),
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    const name = fc.constantFrom('ce_type', 'ce_id', 'é', 'x', 'content-type');
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(name, value), { maxLength: 6 }), { minLength: 2, maxLength: 20 }),
        (records) => {
          for (const pairs of records) {
            const wire = [...varint(pairs.length), ...pairs.flatMap(([k, v]) => [...bytesOf(k), ...bytesOf(v)])];
            const body = [0, ...varint(0), ...varint(0), ...varint(-1), ...varint(-1), ...wire];
            const record = decodeRecord(new Decoder(Buffer.from(body)), { firstOffset: '0', firstTimestamp: '0' });
            const expected: Record<string, string> = {};
            for (const [k, v] of pairs) if (!Object.hasOwn(expected, k)) expected[k] = Buffer.from(v).toString('utf8');
            expect(Object.entries(textHeadersOf(record as never))).toEqual(Object.entries(expected));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("computes a record's offset and timestamp as kafkajs' Long arithmetic does", () => {
    const Long = kafkajs('./src/utils/long') as {
      fromValue(value: string): { add(delta: number | object): { toString(): string } };
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }), fc.bigInt({ min: -1n, max: 2n ** 53n })),
        fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 53n })),
        timestampDelta,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (firstTimestamp, firstOffset, delta, offsetDelta) => {
          const body = [0, ...varint(delta), ...varint(offsetDelta), ...varint(-1), ...varint(-1), ...varint(0)];
          const record = decodeRecord(new Decoder(Buffer.from(body)), {
            firstOffset: String(firstOffset),
            firstTimestamp: String(firstTimestamp),
          });
          expect(record.offset).toBe(Long.fromValue(String(firstOffset)).add(offsetDelta).toString());
          expect(record.timestamp).toBe(Long.fromValue(String(firstTimestamp)).add(delta).toString());
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('groups a batch per partition in the order given, as before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 6 }),
        (keys, n) => {
          const messages = keys.map((key) => ({ key }));
          const partitioner = ({ message }: { message: { key: string } }) => message.key.length % n;
          const grouped = groupMessagesPerPartition({
            topic: 't',
            partitionMetadata: Array.from({ length: n }, (_, partitionId) => ({ partitionId })),
            messages,
            partitioner,
          });
          const expected: Record<string, { key: string }[]> = {};
          for (const m of messages) (expected[partitioner({ message: m })] ??= []).push(m);
          expect(grouped).toEqual(expected);
          for (const [partition, list] of Object.entries(grouped))
            list.forEach((m, i) => expect(m).toBe(expected[partition][i]));
        },
      ),
    );
  });

  describe('against unpatched kafkajs 2.2.4 (the installed copy with the patch reversed)', () => {
    let unpatchedDir: string;
    let unpatched: NodeRequire;
    beforeAll(() => {
      unpatchedDir = mkdtempSync(join(tmpdir(), 'kafkajs-unpatched-'));
      unpatched = unpatchedKafkajs(unpatchedDir);
    });
    afterAll(() => rmSync(unpatchedDir, { recursive: true, force: true }));

    it('is kafkajs as published: no file the patch changes carries its mark', () => {
      for (const file of PATCHED_FILES) {
        expect(readFileSync(unpatched.resolve(file), 'utf8')).not.toContain('patched (servicecenter)');
        expect(readFileSync(kafkajs.resolve(file), 'utf8')).toContain('patched (servicecenter)');
      }
    });

    it('encodes a record byte for byte as unpatched kafkajs does', () => {
      const unpatchedRecord = unpatched('./src/protocol/recordBatch/record/v0') as typeof encodeRecord;
      fc.assert(
        fc.property(
          fc.nat({ max: 100_000 }),
          timestampDelta,
          fc.option(fc.oneof(text, bufferArb)),
          fc.option(fc.oneof(text, longText, bufferArb)),
          headersArb,
          (offsetDelta, delta, key, value, headers) => {
            const record = { offsetDelta, timestampDelta: delta, key, value, headers };
            expect(encodeRecord(record).buffer.equals(unpatchedRecord(record).buffer)).toBe(true);
          },
        ),
        { numRuns: 1_000 },
      );
    });

    it('encodes a record batch byte for byte as unpatched kafkajs does, uncompressed and gzipped', async () => {
      const record = unpatched('./src/protocol/recordBatch/record/v0') as typeof encodeRecord;
      const patchedBatch = kafkajs('./src/protocol/recordBatch/v0').RecordBatch as RecordBatchFn;
      const unpatchedBatch = unpatched('./src/protocol/recordBatch/v0').RecordBatch as RecordBatchFn;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({ key: fc.option(text), value: fc.option(fc.oneof(text, longText)), headers: headersArb }),
            {
              maxLength: 30,
            },
          ),
          fc.record({
            compression: fc.constantFrom(0, 1), // None, GZIP
            firstOffset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
            firstTimestamp: fc.integer({ min: 0, max: 2 ** 42 }),
            partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
            transactional: fc.boolean(),
            producerId: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }).map(String),
            producerEpoch: fc.integer({ min: -1, max: 2 ** 15 - 1 }),
            firstSequence: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          }),
          async (messages, batch) => {
            const records = messages.map((m, i) => record({ ...m, offsetDelta: i, timestampDelta: i * 7 }));
            const args = {
              ...batch,
              maxTimestamp: batch.firstTimestamp + messages.length * 7,
              lastOffsetDelta: records.length - 1,
              records,
            };
            const patched = (await patchedBatch(args)).buffer;
            expect(patched.equals((await unpatchedBatch(args)).buffer)).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('encodes a produce request (v3 and v7, with its size and header) byte for byte as unpatched kafkajs does', async () => {
      const message = fc.record({
        key: fc.option(text),
        value: fc.option(fc.oneof(text, longText)),
        headers: headersArb,
        timestamp: fc.integer({ min: 1, max: 2 ** 42 }),
      });
      const topicData = fc.array(
        fc.record({
          topic: fc.string({ minLength: 1, maxLength: 20 }),
          partitions: fc.array(
            fc.record({
              partition: fc.nat({ max: 50 }),
              firstSequence: fc.nat({ max: 2 ** 31 - 1 }),
              messages: fc.array(message, { minLength: 1, maxLength: 12 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('v3', 'v7'),
          topicData,
          fc.record({
            acks: fc.constantFrom(-1, 0, 1),
            timeout: fc.nat({ max: 60_000 }),
            transactionalId: fc.option(fc.string({ maxLength: 20 })),
            producerId: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }).map(String),
            producerEpoch: fc.integer({ min: -1, max: 2 ** 15 - 1 }),
          }),
          fc.record({ correlationId: fc.nat(), clientId: fc.string({ maxLength: 300 }) }),
          async (version, data, options, framing) => {
            const encodeBoth = async (from: NodeRequire) => {
              const request = from(`./src/protocol/requests/produce/${version}/request`)({
                ...options,
                compression: 0,
                topicData: data,
              });
              const encoded = await from('./src/protocol/request')({ ...framing, request });
              return (encoded as EncoderInstance).buffer;
            };
            expect((await encodeBoth(kafkajs)).equals(await encodeBoth(unpatched))).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("computes a batch's CRC-32C as the Castagnoli reference and kafkajs' own table loop", () => {
      const crc32C = kafkajs('./src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
      const unpatchedCrc32C = unpatched('./src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
      // RFC 3720 (iSCSI), B.4, and the usual check value of CRC-32C.
      expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
      expect(crc32C(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
      expect(crc32C(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
      expect(crc32C(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
      expect(crc32C(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
      expect(crc32C(Buffer.alloc(0))).toBe(0);
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 5_000 }),
          fc.nat({ max: 16 }),
          fc.nat({ max: 16 }),
          (bytes, from, trim) => {
            // A view into a larger buffer, as the batch's body is one.
            const view = Buffer.from(bytes).subarray(Math.min(from, bytes.length), Math.max(0, bytes.length - trim));
            const crc = crc32C(view);
            expect(crc).toBe(referenceCrc32C(view));
            expect(crc).toBe(unpatchedCrc32C(view));
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});

// --- unpatched kafkajs and the reference CRC ------------------------------------------------

/** The files the patch changes (their `patched (servicecenter)` mark is checked both ways). */
const PATCHED_FILES = [
  './src/producer/groupMessagesPerPartition.js',
  './src/protocol/decoder.js',
  './src/protocol/encoder.js',
  './src/protocol/recordBatch/crc32C/index.js',
  './src/protocol/recordBatch/record/v0/decoder.js',
  './src/protocol/recordBatch/record/v0/index.js',
  './src/protocol/recordBatch/v0/index.js',
  './src/protocol/request.js',
  './src/protocol/requests/produce/v3/request.js',
];

type RecordBatchFn = (args: object) => Promise<EncoderInstance>;

/**
 * kafkajs 2.2.4 as published, in `dir`: the installed copy with patches/kafkajs+2.2.4.patch
 * reversed by patch-package's own parser and applier (the root postinstall applies it forward
 * to a pristine kafkajs, and fails the install when it does not apply).
 */
function unpatchedKafkajs(dir: string): NodeRequire {
  const installed = dirname(require.resolve('kafkajs/package.json'));
  const root = dirname(dirname(installed));
  const copy = join(dir, 'node_modules', 'kafkajs');
  cpSync(installed, copy, { recursive: true });
  const patchPackage = createRequire(require.resolve('patch-package/package.json'));
  const { parsePatchFile } = patchPackage('./dist/patch/parse') as { parsePatchFile(text: string): unknown };
  const { reversePatch } = patchPackage('./dist/patch/reverse') as { reversePatch(patch: unknown): unknown };
  const { executeEffects } = patchPackage('./dist/patch/apply') as {
    executeEffects(effects: unknown, options: { dryRun: boolean; cwd: string; bestEffort: boolean }): void;
  };
  const patch = parsePatchFile(readFileSync(join(root, 'patches', 'kafkajs+2.2.4.patch'), 'utf8'));
  executeEffects(reversePatch(patch), { dryRun: false, cwd: dir, bestEffort: false });
  return createRequire(join(copy, 'index.js'));
}

/** CRC-32C bit by bit: the Castagnoli polynomial 0x1EDC6F41 reflected (0x82F63B78), initial and final XOR all ones. */
function referenceCrc32C(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
