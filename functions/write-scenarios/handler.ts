/**
 * write-scenarios: k6, Locust and Artillery scripts from model.json, enriched by Bedrock when
 * BEDROCK_MODEL_ID is set (answer at `$.scenarios`).
 * Rethrow policy: see functions/shared/step-handler.ts. Bedrock throttling is retried by the client
 * first (BedrockLlm), then by the workflow; any other Bedrock failure keeps the compiled script.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockLlm } from '../../lib/adapters/bedrock-llm';
import { pyCompileChecker } from '../../lib/adapters/python-syntax';
import { ATHENA } from '../../lib/core/sql/dialect';
import { s3 } from '../shared/clients';
import { readStepConfig } from '../shared/step-config';
import { makeStepHandler, makeStore } from '../shared/step-handler';
import { writeScenariosStep } from './write-scenarios-step';

const logger = new Logger({ serviceName: 'loadprint-write-scenarios' });
const bedrock = new BedrockRuntimeClient({});

export const handler = makeStepHandler(
  logger,
  () => {
    const config = readStepConfig(process.env);
    return { s3, config, store: makeStore(s3, config.resultsBucket), dialect: ATHENA, now: () => new Date() };
  },
  (state, deps) => {
    const model = deps.config.bedrockModelId;
    // The Lambda runtime has no python3: the Locust check then fails and the compiled locustfile is kept.
    return writeScenariosStep(state, deps, model ? { llm: new BedrockLlm({ client: bedrock, modelId: model }), python: pyCompileChecker() } : {});
  },
);
