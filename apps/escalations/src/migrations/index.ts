import { CreateEscalations1764000000500 } from './1764000000500-CreateEscalations';
import { CreateAttentionReadModels1764000000510 } from './1764000000510-CreateAttentionReadModels';
import { CreateDisruptionNotices1764000000520 } from './1764000000520-CreateDisruptionNotices';
import { CreateNotifications1764000000530 } from './1764000000530-CreateNotifications';
import { CreateProductRefs1764000000540 } from './1764000000540-CreateProductRefs';
import { NotificationSubjectCustomer1764000000560 } from './1764000000560-NotificationSubjectCustomer';
import { RaciCommunicationAndAnalysis1764000000570 } from './1764000000570-RaciCommunicationAndAnalysis';

/** In order of their timestamps; the outbox, inbox and timers are added by the runtime. */
export const migrations: Function[] = [
  CreateEscalations1764000000500,
  CreateAttentionReadModels1764000000510,
  CreateDisruptionNotices1764000000520,
  CreateNotifications1764000000530,
  CreateProductRefs1764000000540,
  NotificationSubjectCustomer1764000000560,
  RaciCommunicationAndAnalysis1764000000570,
];
