/**
 * The synthesised state machine executed by aws-local-stepfunctions (a local ASL interpreter): the
 * Lambda and Athena tasks are bound to recording test doubles (the real step handlers come with the
 * pipeline's second round), so this checks the control flow AWS would run: order, data passing,
 * the wait, retries on throttling, and the failure path.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { renderAsl } from './asl';
import { buildStack } from './stack-fixture';
import '../helpers/promise-with-resolvers';


const definition = renderAsl(Template.fromStack(buildStack()));
const LAMBDA_STEPS = ['PrepareRun', 'Cluster', 'BuildModel', 'WriteScenarios', 'Validate', 'Publish', 'RecordFailure'];
const RUN = { runId: '20261128T101000Z-s3', window: { start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' } };

type Json = Record<string, unknown>;
type Handler = (input: Json) => unknown;

function athenaAnswer(id: string, scanned: number): Json {
  return { QueryExecution: { QueryExecutionId: id, ResultConfiguration: { OutputLocation: `s3://results/athena-results/${id}.csv` }, Statistics: { DataScannedInBytes: scanned } } };
}

/** Handlers that answer like the real steps will (small JSON), recording what each received. */
function handlers(calls: { state: string; input: Json }[], replace: Record<string, Handler> = {}) {
  const answers: Record<string, Handler> = {
    PrepareRun: () => ({ queries: { sessionFeatures: 'SELECT features' }, plan: { estimateBytes: 1000 } }),
    SessionFeatures: () => athenaAnswer('q-features', 4096),
    Cluster: () => ({ personas: 3, queries: { personaStatistics: 'SELECT stats' } }),
    PersonaStatistics: () => athenaAnswer('q-stats', 2048),
    BuildModel: () => ({ modelKey: 'runs/x/model.json' }),
    WriteScenarios: () => ({ tools: ['k6', 'locust', 'artillery'] }),
    Validate: () => ({ pass: true }),
    Publish: () => ({ manifestKey: 'runs/x/manifest.json' }),
    RecordFailure: () => ({ manifestKey: 'runs/x/manifest.json', status: 'failed' }),
    ...replace,
  };
  return Object.fromEntries(
    Object.entries(answers).map(([state, answer]) => [
      state,
      async (input: unknown) => {
        calls.push({ state, input: input as Json });
        return answer(input as Json) as never;
      },
    ]),
  );
}

async function run(input: Json, replace: Record<string, Handler> = {}) {
  const calls: { state: string; input: Json }[] = [];
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers(calls, replace),
      waitTimeOverrides: { WaitForWindow: 0 },
      retryIntervalOverrides: Object.fromEntries([...LAMBDA_STEPS, 'SessionFeatures', 'PersonaStatistics'].map((s) => [s, 0])),
    },
  });
  return { execution, calls };
}

describe('the profiling state machine, executed locally', () => {
  it('runs every step in order, feeding each Athena query the SQL its Lambda rendered', async () => {
    // Given a run request without a start time
    const { execution, calls } = await run(RUN);
    // When it runs
    const output = (await execution.result) as Json;
    // Then the steps ran in order and the queries got the rendered SQL in the Loadprint workgroup
    expect(calls.map((c) => c.state)).toEqual(['PrepareRun', 'SessionFeatures', 'Cluster', 'PersonaStatistics', 'BuildModel', 'WriteScenarios', 'Validate', 'Publish']);
    expect(calls[1]?.input).toEqual({ QueryString: 'SELECT features', WorkGroup: 'loadprint', QueryExecutionContext: { Database: 'loadprint' } });
    expect(calls[3]?.input['QueryString']).toBe('SELECT stats');
    // And each answer is kept under its key, the Athena ones reduced to id, location and bytes scanned
    expect(output['athena']).toEqual({
      sessionFeatures: { queryExecutionId: 'q-features', outputLocation: 's3://results/athena-results/q-features.csv', scannedBytes: 4096 },
      personaStatistics: { queryExecutionId: 'q-stats', outputLocation: 's3://results/athena-results/q-stats.csv', scannedBytes: 2048 },
    });
    expect(output).toMatchObject({ ...RUN, prepare: { plan: { estimateBytes: 1000 } }, publish: { manifestKey: 'runs/x/manifest.json' } });
    // And a later step sees what earlier steps answered
    expect(calls.find((c) => c.state === 'Publish')?.input).toMatchObject({ cluster: { personas: 3 }, validation: { pass: true } });
  });

  it('waits for notBefore when the request has one (a deploy refresh), and not otherwise', async () => {
    const entered = async (input: Json): Promise<string[]> => {
      const { execution } = await run(input);
      const names: string[] = [];
      const collect = (async () => {
        for await (const event of execution.eventLogs) if (event.type === 'StateEntered') names.push(event.state.name);
      })();
      await execution.result;
      await collect;
      return names.slice(0, 3);
    };
    expect(await entered({ ...RUN, notBefore: '2026-11-28T10:10:00.000Z' })).toEqual(['HasStartTime', 'WaitForWindow', 'PrepareRun']);
    expect(await entered(RUN)).toEqual(['HasStartTime', 'PrepareRun', 'SessionFeatures']);
  });

  it('retries a throttled step and carries on', async () => {
    // Given Bedrock throttles write-scenarios twice
    let attempts = 0;
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { execution, calls } = await run(RUN, {
      WriteScenarios: () => {
        attempts += 1;
        if (attempts <= 2) throw throttled;
        return { tools: ['k6'] };
      },
    });
    // When it runs Then the third attempt succeeds and the run publishes
    await expect(execution.result).resolves.toMatchObject({ scenarios: { tools: ['k6'] } });
    expect(calls.filter((c) => c.state === 'WriteScenarios')).toHaveLength(3);
    expect(calls.at(-1)?.state).toBe('Publish');
  });

  it('records a failed run with the error and its cause, then fails the execution', async () => {
    // Given the model step fails for good
    const { execution, calls } = await run(RUN, {
      BuildModel: () => {
        throw Object.assign(new Error('no persona has enough sessions'), { name: 'ModelError' });
      },
    });
    // When it runs Then RecordFailure gets the state with the error at $.error, and the run fails
    await expect(execution.result).rejects.toThrow();
    const record = calls.find((c) => c.state === 'RecordFailure');
    expect(record?.input).toMatchObject({ runId: RUN.runId, cluster: { personas: 3 }, error: { Error: 'ModelError', Cause: expect.stringContaining('no persona has enough sessions') } });
    expect(calls.map((c) => c.state)).not.toContain('Publish');
  });
});
