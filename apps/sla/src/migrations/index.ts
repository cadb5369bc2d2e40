import { CreateRequestSla1764000000200 } from './1764000000200-CreateRequestSla';
import { SlaClocks1764000000210 } from './1764000000210-SlaClocks';
import { SlaComplianceIndexes1764000000220 } from './1764000000220-SlaComplianceIndexes';
import { SlaWarnings1764000000230 } from './1764000000230-SlaWarnings';
import { SlaAgreements1764000000240 } from './1764000000240-SlaAgreements';
import { CustomerRefs1764000000250 } from './1764000000250-CustomerRefs';
import { AgreementComplianceGoals1764000000260 } from './1764000000260-AgreementComplianceGoals';

/** In order of their timestamps. */
export const migrations = [
  CreateRequestSla1764000000200,
  SlaClocks1764000000210,
  SlaComplianceIndexes1764000000220,
  SlaWarnings1764000000230,
  SlaAgreements1764000000240,
  CustomerRefs1764000000250,
  AgreementComplianceGoals1764000000260,
];
