/**
 * A consumer group that cannot apply an event after its attempts publishes it, unchanged
 * (same key, `ce_*` headers and body), to its dead-letter topic with these headers added.
 */
export const deadLetterTopicFor = (groupId: string) => `${groupId}.dlq`;

export const DEAD_LETTER_HEADERS = {
  dlq_reason: 'Why the last attempt failed (the error message, at most 1000 characters).',
  dlq_attempts: 'How many times the consumer tried the event.',
  dlq_original_topic: 'The topic the event was read from.',
  dlq_original_partition: 'The partition it was read from.',
  dlq_original_offset: 'Its offset there.',
  dlq_consumer: 'The consumer group that gave up on it.',
  dlq_failed_at: 'When it was dead-lettered (ISO 8601).',
} as const;

export type DeadLetterHeaders = Record<keyof typeof DEAD_LETTER_HEADERS, string>;
