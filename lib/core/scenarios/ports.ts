/**
 * Ports the scenario writer is handed for LLM enrichment: the model client (Bedrock in AWS) and a
 * Python syntax checker (it spawns `python3`). Core code never reaches for either itself.
 */

/** A chat model: one system prompt, one user turn, the answer's text. */
export interface LlmClient {
  converse(system: string, user: string): Promise<string>;
}

/** Checks Python source; resolves to an error message, or undefined when it compiles. */
export interface PythonSyntaxChecker {
  check(source: string): Promise<string | undefined>;
}
