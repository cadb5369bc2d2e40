import type { RequestContext } from '@servicecenter/graphql';
import type { ServiceStatus } from '@servicecenter/service';
import type { ReportQueries } from './domain/report-queries';

export interface ReportingContext extends RequestContext {
  reports: ReportQueries;
  status(): Promise<ServiceStatus>;
}
