/**
 * The LlmClient port on Amazon Bedrock's Converse API (the only module that imports the Bedrock SDK).
 * Throttling is expected under load: it is retried with exponential backoff and full jitter, a
 * bounded number of times; any other error, or running out of retries, is the caller's to handle
 * (the scenario writer then keeps the compiled script).
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ThrottlingException,
  type ContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { DEFAULTS } from '../core/config';
import type { LlmClient } from '../core/scenarios/ports';

const S = DEFAULTS.scenarios;

export interface BedrockLlmProps {
  /** @default new BedrockRuntimeClient({}) */
  readonly client?: BedrockRuntimeClient;
  /** @default DEFAULTS.scenarios.bedrockModelId */
  readonly modelId?: string;
  /** Retries after a throttled call. @default DEFAULTS.scenarios.bedrockMaxRetries */
  readonly maxRetries?: number;
  /** @default DEFAULTS.scenarios.bedrockBackoffBaseMs */
  readonly backoffBaseMs?: number;
  /** @default DEFAULTS.scenarios.bedrockBackoffMaxMs */
  readonly backoffMaxMs?: number;
  /** Injected so tests do not wait. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

export class BedrockLlm implements LlmClient {
  private readonly client: BedrockRuntimeClient;
  private readonly modelId: string;
  private readonly maxRetries: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(props: BedrockLlmProps = {}) {
    this.client = props.client ?? new BedrockRuntimeClient({});
    this.modelId = props.modelId ?? S.bedrockModelId;
    this.maxRetries = props.maxRetries ?? S.bedrockMaxRetries;
    this.baseMs = props.backoffBaseMs ?? S.bedrockBackoffBaseMs;
    this.maxMs = props.backoffMaxMs ?? S.bedrockBackoffMaxMs;
    this.sleep = props.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = props.random ?? Math.random;
  }

  async converse(system: string, user: string): Promise<string> {
    const command = new ConverseCommand({
      modelId: this.modelId,
      system: [{ text: system }],
      messages: [{ role: 'user', content: [{ text: user }] }],
      inferenceConfig: { maxTokens: S.bedrockMaxTokens, temperature: S.bedrockTemperature },
    });
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await this.client.send(command);
        if (out.stopReason === 'max_tokens') throw new Error('the model answer was cut off at the token limit');
        return textOf(out.output?.message?.content ?? []);
      } catch (e: unknown) {
        if (!isThrottling(e) || attempt >= this.maxRetries) throw e;
        // Full jitter: a random wait up to the exponential cap spreads retrying writers apart.
        await this.sleep(Math.floor(this.random() * Math.min(this.maxMs, this.baseMs * 2 ** attempt)));
      }
    }
  }
}

function isThrottling(e: unknown): boolean {
  return e instanceof ThrottlingException || (e instanceof Error && e.name === 'ThrottlingException');
}

function textOf(content: readonly ContentBlock[]): string {
  return content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
}
