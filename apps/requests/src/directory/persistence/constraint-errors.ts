import type { DomainError } from '@servicecenter/platform-errors';

/**
 * Runs a write and turns a violated constraint (by its name, from the migration) into the
 * domain error that names the input field; anything else is rethrown unchanged. Checking
 * for duplicates first would race with a concurrent insert; the constraint does not.
 */
export async function withConstraintErrors<T>(
  write: () => Promise<T>,
  onConstraint: Record<string, () => DomainError>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = (error as { constraint?: unknown }).constraint;
    const toDomain = typeof constraint === 'string' ? onConstraint[constraint] : undefined;
    if (toDomain) throw toDomain();
    throw error;
  }
}
