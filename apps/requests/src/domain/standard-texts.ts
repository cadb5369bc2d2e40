import type { Language } from '../directory/domain/directory';
import type { CompletionReason } from './request';

/**
 * The desk's standard texts (DOMAIN.md "Closing": close with a standard text), in the
 * customer's language. Placeholders: {number}, {title}, {missing}, {reminder}, {reminders}.
 */
export type StandardTextKey =
  | `CLOSED_${CompletionReason}`
  | 'IN_HANDLING'
  | 'RETURNED_INCOMPLETE'
  | 'REMINDER'
  | 'REOPENED'
  | 'CONTINUED_AS_NEW'
  | 'MUTATION_EXECUTED';

const TEXTS: Record<Language, Record<StandardTextKey, string>> = {
  EN: {
    CLOSED_SOLVED: 'We have closed request {number} "{title}": the solution resolved it. Thank you for confirming.',
    CLOSED_WORKAROUND:
      'We have closed request {number} "{title}" with the workaround we sent. A structural solution follows through the release calendar.',
    CLOSED_NO_REPLY:
      'We have closed request {number} "{title}" because we received no reply after {reminders} reminders. Reply to reopen it if it is still relevant.',
    CLOSED_DUPLICATE:
      'We have closed request {number} "{title}" because the same question is already being handled in another request.',
    CLOSED_DECLINED: 'We have closed request {number} "{title}": we cannot carry it out. The reason is in the request.',
    CLOSED_WITHDRAWN: 'Request {number} "{title}" was withdrawn and is now closed.',
    IN_HANDLING: 'Your request {number} "{title}" is in handling at the Service Center.',
    RETURNED_INCOMPLETE:
      'We need more information to handle request {number} "{title}":\n{missing}\nPlease complete the request; we continue as soon as you reply.',
    REMINDER: 'Reminder {reminder} of {reminders}: request {number} "{title}" is waiting for your reply.\n{missing}',
    REOPENED: 'Request {number} "{title}" has been reopened.',
    CONTINUED_AS_NEW: 'Your new question on {number} is handled as a new request, {newNumber}.',
    MUTATION_EXECUTED: 'The mutation you asked for in request {number} "{title}" has been carried out.',
  },
  NL: {
    CLOSED_SOLVED:
      'Wij hebben melding {number} "{title}" afgesloten: de oplossing heeft het probleem verholpen. Dank voor uw bevestiging.',
    CLOSED_WORKAROUND:
      'Wij hebben melding {number} "{title}" afgesloten met de toegestuurde workaround. Een structurele oplossing volgt via de releasekalender.',
    CLOSED_NO_REPLY:
      'Wij hebben melding {number} "{title}" afgesloten omdat wij na {reminders} herinneringen geen reactie ontvingen. Reageer om de melding te heropenen als deze nog actueel is.',
    CLOSED_DUPLICATE:
      'Wij hebben melding {number} "{title}" afgesloten omdat dezelfde vraag al in een andere melding wordt behandeld.',
    CLOSED_DECLINED:
      'Wij hebben melding {number} "{title}" afgesloten: wij kunnen deze niet uitvoeren. De reden staat in de melding.',
    CLOSED_WITHDRAWN: 'Melding {number} "{title}" is ingetrokken en afgesloten.',
    IN_HANDLING: 'Uw melding {number} "{title}" is in behandeling bij het Service Center.',
    RETURNED_INCOMPLETE:
      'Wij hebben meer informatie nodig om melding {number} "{title}" te behandelen:\n{missing}\nVul de melding aan; wij gaan verder zodra u reageert.',
    REMINDER: 'Herinnering {reminder} van {reminders}: melding {number} "{title}" wacht op uw reactie.\n{missing}',
    REOPENED: 'Melding {number} "{title}" is heropend.',
    CONTINUED_AS_NEW: 'Uw nieuwe vraag bij {number} wordt behandeld als nieuwe melding, {newNumber}.',
    MUTATION_EXECUTED: 'De mutatie die u in melding {number} "{title}" vroeg, is uitgevoerd.',
  },
};

export function standardText(
  language: Language,
  key: StandardTextKey,
  values: Record<string, string | number>,
): string {
  return TEXTS[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export const closingTextKey = (reason: CompletionReason): StandardTextKey => `CLOSED_${reason}`;

export const standardTexts = () => TEXTS;
