/** Messages between a pool and its workers. Errors travel as plain data: class instances do not survive cloning. */
export interface TaskMessage<TIn> {
  id: number;
  input: TIn;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type ResultMessage<TOut> = { id: number; ok: true; output: TOut } | { id: number; ok: false; error: SerializedError };

/** Sent once by a worker when its module has loaded and it takes tasks. */
export interface ReadyMessage {
  ready: true;
}

export interface TaskOutput<TOut> {
  output: TOut;
  /** buffers handed back to the main thread without copying */
  transfer?: ArrayBuffer[];
}
