// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { SendArchiveEvents } from '../api/send-archive.ts';
import type { PreflightVerdict } from '../utils/preflight-archive.ts';
import { UploadQueue } from './upload-queue.ts';
import type { UploadQueueDeps } from './upload-queue.ts';

const OK: PreflightVerdict = { faults: [], warnings: [], pageCount: 1, entryCount: 1, encrypted: true };

function setup(overrides: Partial<UploadQueueDeps> = {}) {
  const sends: { file: File; events: SendArchiveEvents; aborted: boolean }[] = [];
  const submits: { id: string; password: string | undefined }[] = [];
  const queue = new UploadQueue({
    preflight: async () => OK,
    pack: async (plan) => new File([], plan.name),
    send: (file, _options, events) => {
      const send = { file, events, aborted: false };
      sends.push(send);
      return { abort: () => (send.aborted = true) };
    },
    submit: async (id, password) => {
      submits.push({ id, password });
    },
    ...overrides,
  });
  const states = () => queue.getSnapshot().map((item) => `${item.name}:${item.state}`);
  return { queue, sends, submits, states };
}

const zip = (name: string) => new File([new Uint8Array(10)], name);

describe('UploadQueue', () => {
  it('continues a failed send from the same file (tus resumes it) and keeps the password for the submit', async () => {
    const { queue, sends, submits, states } = setup();
    queue.addFiles([zip('a.zip')], { password: 'SECRET' });
    await vi.waitFor(() => expect(sends).toHaveLength(1));

    sends[0]?.events.onError('Нет связи с сервером.');
    expect(states()).toEqual(['a.zip:failed']);
    expect(queue.getSnapshot()[0]?.error).toBe('Нет связи с сервером.');

    queue.retry(queue.getSnapshot()[0]?.key ?? '');
    await vi.waitFor(() => expect(sends).toHaveLength(2));
    expect(sends[1]?.file).toBe(sends[0]?.file);
    sends[1]?.events.onSuccess('id-1');
    await vi.waitFor(() => expect(states()).toEqual(['a.zip:sent']));
    expect(submits).toEqual([{ id: 'id-1', password: 'SECRET' }]);
  });

  it('asks the server again when only the submit failed, without sending the file again', async () => {
    let fail = true;
    const { queue, sends, states } = setup({
      submit: async () => {
        if (fail) throw new Error('Сервер недоступен');
      },
    });
    queue.addFiles([zip('a.zip')]);
    await vi.waitFor(() => expect(sends).toHaveLength(1));
    sends[0]?.events.onSuccess('id-1');
    await vi.waitFor(() => expect(states()).toEqual(['a.zip:failed']));
    expect(queue.getSnapshot()[0]?.failedAt).toBe('submitting');

    fail = false;
    queue.retry(queue.getSnapshot()[0]?.key ?? '');
    await vi.waitFor(() => expect(states()).toEqual(['a.zip:sent']));
    expect(sends).toHaveLength(1);
  });

  it('moves on to the next archive when the one being sent is cancelled', async () => {
    const { queue, sends, states } = setup();
    queue.addFiles([zip('a.zip'), zip('b.zip')]);
    await vi.waitFor(() => expect(sends).toHaveLength(1));

    queue.remove(queue.getSnapshot()[0]?.key ?? '');
    expect(sends[0]?.aborted).toBe(true);
    await vi.waitFor(() => expect(sends).toHaveLength(2));
    expect(sends[1]?.file.name).toBe('b.zip');
    expect(states()).toEqual(['b.zip:sending']);
  });

  it('does not send a password for an archive that has none', async () => {
    const { queue, sends, submits } = setup({ preflight: async () => ({ ...OK, encrypted: false }) });
    queue.addFiles([zip('a.zip')], { password: 'typed anyway' });
    await vi.waitFor(() => expect(sends).toHaveLength(1));
    sends[0]?.events.onSuccess('id-1');
    await vi.waitFor(() => expect(submits).toEqual([{ id: 'id-1', password: undefined }]));
  });
});
