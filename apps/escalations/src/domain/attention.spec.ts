import type { Caller } from '@servicecenter/platform-auth';
import { attentionItems, attentionScope, type AttentionCandidate, type SlaRisk } from './attention';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
/** Calendar days stand in for working days here; the service uses the business calendar. */
const rules = { now: NOW, staleAt: (since: Date) => new Date(since.getTime() + 5 * DAY) };
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);

const candidate = (id: string, over: Partial<AttentionCandidate> = {}): AttentionCandidate => ({
  requestId: id,
  number: `SC-2026-${id}`,
  customerId: 'cust-acme',
  registeredAt: ago(1),
  lastPublicUpdateAt: null,
  risks: [],
  ...over,
});
const risk = (kind: SlaRisk['kind'], over: Partial<SlaRisk>): SlaRisk => ({
  kind,
  threshold: 0.5,
  dueAt: inDays(1),
  breached: false,
  ...over,
});

describe('attention list rule', () => {
  it('lists breached, about to breach (75% or more, still running) and quiet requests; nothing else', () => {
    const items = attentionItems(
      [
        candidate('fine', { risks: [risk('FIRST_RESPONSE', { threshold: 0.5 })] }),
        candidate('breached', { risks: [risk('FIRST_RESPONSE', { breached: true, threshold: 1, dueAt: ago(1) })] }),
        candidate('warned', { risks: [risk('RESOLUTION', { threshold: 0.75, dueAt: inDays(2) })] }),
        candidate('warned-but-met', { risks: [risk('ACCEPTANCE', { threshold: 0.9, dueAt: ago(0.5) })] }),
        candidate('quiet', { registeredAt: ago(10), lastPublicUpdateAt: ago(6) }),
        candidate('recently-updated', { registeredAt: ago(10), lastPublicUpdateAt: ago(2) }),
      ],
      rules,
    );
    expect(items.map((i) => [i.requestId, i.reasons])).toEqual([
      ['breached', ['BREACHED']],
      ['warned', ['ABOUT_TO_BREACH']],
      ['quiet', ['NO_RECENT_UPDATE']],
    ]);
  });

  it('names the worst target: a breached one before a warned one, the earliest due among equals', () => {
    const [item] = attentionItems(
      [
        candidate('r', {
          registeredAt: ago(8),
          risks: [
            risk('RESOLUTION', { threshold: 0.9, dueAt: inDays(1) }),
            risk('ACCEPTANCE', { breached: true, threshold: 1, dueAt: ago(1) }),
            risk('FIRST_RESPONSE', { breached: true, threshold: 1, dueAt: ago(3) }),
          ],
        }),
      ],
      rules,
    );
    expect(item.reasons).toEqual(['BREACHED', 'ABOUT_TO_BREACH', 'NO_RECENT_UPDATE']);
    expect(item.worstTarget).toEqual({ kind: 'FIRST_RESPONSE', dueAt: ago(3) });
    expect(item.lastPublicUpdateAt).toBeNull();
    expect(item.quietSince).toEqual(ago(8));
  });

  it('breaks a tie of due times by the order a request meets its targets, whatever order the read model gives', () => {
    const tied = [
      risk('ASSIGNMENT', { breached: true, threshold: 1, dueAt: ago(1) }),
      risk('FIRST_RESPONSE', { breached: true, threshold: 1, dueAt: ago(1) }),
    ];
    for (const risks of [tied, [...tied].reverse()])
      expect(attentionItems([candidate('r', { risks })], rules)[0].worstTarget?.kind).toBe('FIRST_RESPONSE');
  });

  it('orders breached first, then about to breach by due time, then the longest quiet first', () => {
    const items = attentionItems(
      [
        candidate('quiet-6', { registeredAt: ago(6) }),
        candidate('warn-late', { risks: [risk('RESOLUTION', { threshold: 0.9, dueAt: inDays(5) })] }),
        candidate('quiet-20', { registeredAt: ago(30), lastPublicUpdateAt: ago(20) }),
        candidate('breach-recent', { risks: [risk('ASSIGNMENT', { breached: true, dueAt: ago(1) })] }),
        candidate('warn-soon', { risks: [risk('ACCEPTANCE', { threshold: 0.75, dueAt: inDays(1) })] }),
        candidate('breach-old', {
          registeredAt: ago(9),
          risks: [risk('FIRST_RESPONSE', { breached: true, dueAt: ago(8) })],
        }),
      ],
      rules,
    );
    expect(items.map((i) => i.requestId)).toEqual([
      'breach-old',
      'breach-recent',
      'warn-soon',
      'warn-late',
      'quiet-20',
      'quiet-6',
    ]);
  });

  it('counts quiet time from the registration when the desk never updated publicly', () => {
    expect(attentionItems([candidate('new', { registeredAt: ago(4.9) })], rules)).toEqual([]);
    expect(attentionItems([candidate('old', { registeredAt: ago(5) })], rules).map((i) => i.reasons)).toEqual([
      ['NO_RECENT_UPDATE'],
    ]);
  });

  it('scopes service managers to their customers, managers to all, and refuses everyone else', () => {
    const who = (roles: string[], id = 'p-x'): Caller =>
      ({ id, roles, customerId: roles.includes('customer') ? 'cust-acme' : undefined }) as Caller;
    expect(attentionScope(who(['service_manager'], 'p-sm'))).toMatchObject({
      all: false,
      customerIds: [],
      serviceManagerOf: 'p-sm',
      customerSuccessManagerOf: null,
    });
    expect(attentionScope(who(['manager_service_center']))).toEqual({ all: true });
    expect(attentionScope(who(['manager_service_management']))).toEqual({ all: true });
    for (const roles of [['customer'], ['support_consultant']])
      expect(() => attentionScope(who(roles))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
