// The case table's stores are port groups of their own (shared/adapters/wiring/). The groups of one
// function share one table client, so single reads its stores make at once go out as one request; two
// functions never share one, so a read is always sent under the function that made it (IAM, and the
// sandbox's grant checker, hold each to its own access).
import { beforeAll, describe, expect, it } from 'vitest';
import { caseTable } from '#adapters/wiring/case-table';
import { contactRegistry } from '#adapters/wiring/contact-registry';
import { wireDependencies } from '#adapters/wiring/wire';
import { requestsDuring, watchDynamoRequests } from '../support/dynamo-requests.ts';
import { createIntegrationEnvironment } from '../support/integration-environment.ts';

watchDynamoRequests();
beforeAll(async () => {
  await createIntegrationEnvironment();
});

const caseId = 'CS2611300001AB';
const contactHash = 'h'.repeat(43);

describe('the case table port groups', () => {
  it("gather one function's single reads made at once into one request, across its stores", async () => {
    const deps = await wireDependencies([caseTable, contactRegistry])();
    const { requests } = await requestsDuring(() =>
      Promise.all([
        deps.cases.getCase(caseId, { consistent: false }),
        deps.contacts.getSuppression(contactHash),
      ]),
    );
    expect(requests.map((request) => request.operation)).toEqual(['BatchGetItem']);
  });

  it("never gather two functions' reads into one request", async () => {
    const reader = await wireDependencies([caseTable])();
    const other = await wireDependencies([contactRegistry])();
    const { requests } = await requestsDuring(() =>
      Promise.all([
        reader.cases.getCase(caseId, { consistent: false }),
        other.contacts.getSuppression(contactHash),
      ]),
    );
    expect(requests.map((request) => request.operation)).toEqual(['GetItem', 'GetItem']);
  });
});
