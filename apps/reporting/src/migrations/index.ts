import { CreateReportingReadModels1764000000400 } from './1764000000400-CreateReportingReadModels';
import { AddReportingPageIndexes1764000000410 } from './1764000000410-AddReportingPageIndexes';
import { SlaTargetDayRollup1764000000420 } from './1764000000420-SlaTargetDayRollup';
import { RequestSurveyBookingRollups1764000000430 } from './1764000000430-RequestSurveyBookingRollups';
import { OpenRequestState1764000000440 } from './1764000000440-OpenRequestState';
import { SlaGoals1764000000450 } from './1764000000450-SlaGoals';
import { OpenResponseCounters1764000000460 } from './1764000000460-OpenResponseCounters';
import { OpenWorkCoveringIndexes1764000000470 } from './1764000000470-OpenWorkCoveringIndexes';
import { StatementLevelRollups1764000000480 } from './1764000000480-StatementLevelRollups';
import { DropUnreadRequestIndexes1764000000490 } from './1764000000490-DropUnreadRequestIndexes';
import { JournalEventIdCollation1764000000500 } from './1764000000500-JournalEventIdCollation';

/** In order of their timestamps; the outbox, inbox and timers are added by the runtime. */
export const migrations: Function[] = [
  CreateReportingReadModels1764000000400,
  AddReportingPageIndexes1764000000410,
  SlaTargetDayRollup1764000000420,
  RequestSurveyBookingRollups1764000000430,
  OpenRequestState1764000000440,
  SlaGoals1764000000450,
  OpenResponseCounters1764000000460,
  OpenWorkCoveringIndexes1764000000470,
  StatementLevelRollups1764000000480,
  DropUnreadRequestIndexes1764000000490,
  JournalEventIdCollation1764000000500,
];
