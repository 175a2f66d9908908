/**
 * Group commit: one writer per process for one kind of write. While a batch is in the database,
 * new requests queue; the next batch takes them all (up to `maxBatch`) and writes them with one
 * call, in one transaction, each request getting its own answer. With `maxWaitMs` > 0 an idle
 * writer waits that long for company before it writes; with 0 a lone request goes at once.
 *
 * A lone request is written with `one`. A batch that fails as a whole wrote nothing (it was one
 * transaction), so one bad request must not fail its neighbours: they are written one by one,
 * in order, each with `one`, and each gets its own answer or error.
 */
interface Waiting<Request, Answer> {
  request: Request;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Request, Answer> {
  #queue: Array<Waiting<Request, Answer>> = [];
  #writing = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: {
      many: (requests: Request[]) => Promise<Answer[]>;
      one: (request: Request) => Promise<Answer>;
      /** Told when a batch failed as a whole and is about to be written one by one. */
      failed?: (requests: Request[], error: unknown) => void;
    },
    private readonly options: { maxBatch: number; maxWaitMs: number },
  ) {}

  submit(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (this.#writing) return;
      if (this.options.maxWaitMs === 0) void this.#flush();
      else this.#flushIn(this.#queue.length >= this.options.maxBatch ? 0 : this.options.maxWaitMs);
    });
  }

  #flushIn(delay: number) {
    if (this.#timer) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#flush();
    }, delay);
  }

  async #flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0) await this.#run(this.#queue.splice(0, this.options.maxBatch));
    } finally {
      this.#writing = false;
    }
  }

  async #run(batch: Array<Waiting<Request, Answer>>): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      await this.write.one(only!.request).then(only!.resolve, only!.reject);
      return;
    }
    let answers: Answer[];
    try {
      answers = await this.write.many(batch.map((b) => b.request));
    } catch (error) {
      this.write.failed?.(batch.map((b) => b.request), error);
      for (const b of batch) await this.write.one(b.request).then(b.resolve, b.reject);
      return;
    }
    batch.forEach((b, i) => b.resolve(answers[i]!));
  }
}
