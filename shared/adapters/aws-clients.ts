// One client per service per execution environment, created on first use by the port group that needs
// it (shared/adapters/wiring/), so a function's bundle holds only the clients it uses. Endpoints come
// from the standard AWS_ENDPOINT_URL_<SERVICE> variables, so the same code talks to AWS or the emulators.

const resets: Array<() => void> = [];
const onCreate: Array<(client: object) => void> = [];

export function awsClient<T extends { destroy(): void }>(create: () => T): () => T {
  let instance: T | undefined;
  resets.push(() => {
    instance?.destroy();
    instance = undefined;
  });
  return () => {
    if (!instance) {
      instance = create();
      for (const hook of onCreate) hook(instance);
    }
    return instance;
  };
}

/** The sandbox, before any client exists: `hook` sees every client made from then on (to add middleware). */
export function onAwsClientCreated(hook: (client: object) => void): void {
  onCreate.push(hook);
}

/** Tests and the sandbox, after moving the endpoints: a client keeps the endpoint it started with. */
export function resetAwsClients(): void {
  for (const reset of resets) reset();
}
