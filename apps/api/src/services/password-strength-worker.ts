/**
 * Worker thread entry: zxcvbn's estimate of one password per message. Started by password-strength.ts when a
 * password is judged and ended when none has been for a while, so that zxcvbn's dictionaries (about 50 MB of the
 * process) are held only while passwords are being set, not for as long as the server runs.
 */
import { parentPort } from 'node:worker_threads';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { RUSSIAN_WORDS, type EstimateReply, type EstimateRequest } from './password-strength.ts';

const zxcvbn = new ZxcvbnFactory({
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary, 'russian-common': [...RUSSIAN_WORDS] },
  useLevenshteinDistance: false,
});

const port = parentPort;
if (!port) throw new Error('password-strength-worker must run in a worker thread');
port.on('message', ({ id, password, userInputs }: EstimateRequest) => {
  let reply: EstimateReply;
  try {
    const { score, feedback } = zxcvbn.check(password, userInputs);
    reply = { id, score, warning: feedback.warning, suggestions: feedback.suggestions };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
