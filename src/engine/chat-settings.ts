/**
 * @module engine/chat-settings
 * Where chat (`/v1/chat` of the HTTP server) forwards: an OpenAI-compatible upstream named by `"chat": {"url", "model"?,
 * "budget"?}` in `<root>/rtc.config.json`, or by the environment (`RTC_CHAT_URL`,
 * `RTC_CHAT_MODEL`, `RTC_CHAT_API_KEY`), which wins. The key is read from the environment only and sent only
 * to the URL of the environment (`RTC_CHAT_URL`): a URL from a repository's config file never gets it, so a
 * cloned repository cannot send your key to a server of its choosing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';

/** The chat upstream of a folder. */
export interface ChatSettings {
  /** Base URL of the upstream (`http://127.0.0.1:8080/v1`); requests go to `<url>/chat/completions`. */
  url: string;
  model?: string;
  apiKey?: string;
  /** Token budget of the context inserted into the conversation (default 4000). */
  budget: number;
}

/** How to configure an upstream, for the 503 of an unconfigured chat. */
export const CHAT_HOWTO =
  'No chat upstream is configured: set RTC_CHAT_URL to an OpenAI-compatible base URL (e.g. http://127.0.0.1:8080/v1; RTC_CHAT_MODEL and RTC_CHAT_API_KEY optional), or add "chat": {"url": "...", "model": "..."} to rtc.config.json in the workspace folder (an upstream that needs a key: set RTC_CHAT_URL and RTC_CHAT_API_KEY; the key is never sent to a URL from rtc.config.json)';

interface ChatConfigFile {
  url?: unknown;
  model?: unknown;
  apiKeyEnv?: unknown;
  budget?: unknown;
}

function configFile(root: string): ChatConfigFile {
  const path = join(root, 'rtc.config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const chat = (parsed as { chat?: unknown } | null)?.chat;
  if (chat === undefined) return {};
  if (typeof chat !== 'object' || chat === null || Array.isArray(chat))
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${path}: "chat" must be an object {url, model?, budget?}`,
    );
  return chat as ChatConfigFile;
}

/** The chat settings of a folder, or undefined when none is configured. */
export function readChatSettings(
  root: string,
  env: Readonly<Record<string, string | undefined>>,
): ChatSettings | undefined {
  const file = configFile(root);
  const url = env.RTC_CHAT_URL || (typeof file.url === 'string' ? file.url : undefined);
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `The chat upstream URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `The chat upstream URL must be http(s): ${url}`);
  const model = env.RTC_CHAT_MODEL || (typeof file.model === 'string' ? file.model : undefined);
  if (file.apiKeyEnv !== undefined)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      'rtc.config.json: "chat.apiKeyEnv" is not supported: the key is sent only to RTC_CHAT_URL (set RTC_CHAT_URL and RTC_CHAT_API_KEY in the environment)',
    );
  // The key goes only to the upstream the environment names.
  const apiKey = env.RTC_CHAT_URL ? env.RTC_CHAT_API_KEY : undefined;
  const budget =
    typeof file.budget === 'number' && Number.isInteger(file.budget) && file.budget >= 100
      ? file.budget
      : 4000;
  return {
    url: url.replace(/\/+$/, ''),
    ...(model ? { model } : {}),
    ...(apiKey ? { apiKey } : {}),
    budget,
  };
}
