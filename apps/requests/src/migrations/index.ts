import { CreateRequests1764000000100 } from './1764000000100-CreateRequests';
import { RequestLifecycle1764000000110 } from './1764000000110-RequestLifecycle';
import { TimeBookingsAndSurveys1764000000120 } from './1764000000120-TimeBookingsAndSurveys';
import { RequestImports1764000000130 } from './1764000000130-RequestImports';
import { ProductDevelopmentQuestions1764000000140 } from './1764000000140-ProductDevelopmentQuestions';
import { ImportedContinuations1764000000150 } from './1764000000150-ImportedContinuations';

/** In order of their timestamps. */
export const migrations = [
  CreateRequests1764000000100,
  RequestLifecycle1764000000110,
  TimeBookingsAndSurveys1764000000120,
  RequestImports1764000000130,
  ProductDevelopmentQuestions1764000000140,
  ImportedContinuations1764000000150,
];
