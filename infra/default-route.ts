// The function behind the HTTP API's `$default` route (unknown path 404, wrong method 405, in API.md's
// shape). Not a catalogue entry: it has no route of its own and touches no data. The stack deploys it,
// the sandbox's gateway invokes it for every request no route matched, as API Gateway would.
export const defaultRouteFunction = {
  name: 'RouteNotMatched',
  description: '$default: unknown routes and methods answer in API.md error shape',
  entry: 'functions/http/route-not-matched.ts',
  memoryMb: 256,
  timeoutSeconds: 5,
} as const;
