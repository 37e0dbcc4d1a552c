/**
 * User-agent classification, done once per DISTINCT user agent (a few thousand strings, not millions
 * of requests): declared bots come from `isbot`'s maintained list; HTTP client libraries (which isbot
 * also flags) are machine clients instead, the mark of API consumers rather than crawlers.
 */
import { isbot } from 'isbot';

/** HTTP client libraries (machine clients, not crawlers); the AWS pipeline renders it into SQL too. */
export const MACHINE_CLIENTS =
  /^(curl|wget|python-requests|python-urllib|python-httpx|aiohttp|okhttp|go-http-client|java\/|apache-httpclient|axios|node-fetch|undici|got\b|libwww-perl|lwp::|httpie|postmanruntime|insomnia|ruby|faraday|guzzlehttp|dart:io|dart\/|reqwest|rest-client|restsharp|cfnetwork|alamofire|feign|jersey)/i;

export interface UserAgentFlags {
  user_agent: string;
  is_bot_ua: boolean;
  machine_ua: boolean;
}

export function classifyUserAgent(ua: string): UserAgentFlags {
  const blank = ua === '' || ua === '-';
  const machine = !blank && MACHINE_CLIENTS.test(ua.trim());
  return { user_agent: ua, is_bot_ua: !blank && !machine && isbot(ua), machine_ua: machine };
}
