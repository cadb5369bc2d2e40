import { checkCompleteness } from './completeness';
import type { Evidence } from './request';

const screenshot: Evidence = {
  kind: 'SCREENSHOT',
  name: 'shot.png',
  contentType: 'image/png',
  sizeBytes: 1000,
  url: null,
  text: null,
  addedAt: new Date(),
  addedBy: 'u',
};
const complete = {
  productId: 'payroll',
  description: 'The payroll run stops at step 3 with an error for all employees',
  businessImpact: 'Nobody gets paid on Friday: 1200 employees',
  evidence: [screenshot],
};

describe('the automated completeness check', () => {
  it('passes a complete incident', () => {
    expect(checkCompleteness({ type: 'INCIDENT', ...complete })).toEqual([]);
  });

  it('lists everything an incident misses: product, description, business impact, screenshot or error message', () => {
    const missing = checkCompleteness({
      type: 'INCIDENT',
      productId: null,
      description: 'broken',
      businessImpact: null,
      evidence: [],
    });
    expect(missing.map((m) => m.field)).toEqual(['productId', 'description', 'businessImpact', 'evidence']);
  });

  it('accepts an error message instead of a screenshot, but not a log file', () => {
    expect(
      checkCompleteness({ type: 'INCIDENT', ...complete, evidence: [{ ...screenshot, kind: 'ERROR_MESSAGE' }] }),
    ).toEqual([]);
    expect(
      checkCompleteness({ type: 'INCIDENT', ...complete, evidence: [{ ...screenshot, kind: 'LOG_FILE' }] }).map(
        (m) => m.field,
      ),
    ).toEqual(['evidence']);
  });

  it('asks a change request for its business impact but no screenshot', () => {
    expect(checkCompleteness({ type: 'CHANGE', ...complete, evidence: [] })).toEqual([]);
    expect(checkCompleteness({ type: 'CHANGE', ...complete, businessImpact: 'short' }).map((m) => m.field)).toEqual([
      'businessImpact',
    ]);
  });

  it('asks a question only for its product', () => {
    expect(
      checkCompleteness({
        type: 'INFORMATION',
        productId: 'payroll',
        description: 'How?',
        businessImpact: null,
        evidence: [],
      }),
    ).toEqual([]);
    expect(
      checkCompleteness({
        type: 'INFORMATION',
        productId: null,
        description: 'How?',
        businessImpact: null,
        evidence: [],
      }).map((m) => m.field),
    ).toEqual(['productId']);
  });
});
