import { z } from 'zod';
import { DomainError } from './domain-error';
import { validate } from './validate';

describe('input validation', () => {
  const schema = z.object({ title: z.string().min(3, 'too short'), hours: z.number().positive('must be positive') });

  it('returns the parsed value when valid', () => {
    expect(validate(schema, { title: 'abc', hours: 2 })).toEqual({ title: 'abc', hours: 2 });
  });

  it('raises one BAD_USER_INPUT naming the first bad field and listing every problem', () => {
    let error: DomainError | undefined;
    try {
      validate(schema, { title: 'a', hours: -1 });
    } catch (e) {
      error = e as DomainError;
    }
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details).toEqual({
      field: 'input.title',
      problems: [
        { field: 'input.title', message: 'too short' },
        { field: 'input.hours', message: 'must be positive' },
      ],
    });
  });
});
