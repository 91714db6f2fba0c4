// Shared test helpers every package's tests may import: they need nothing internal but core.
// Helpers that start the workers or the whole system live in ./workers and ./system (subpath exports).

export { deleteTenantData } from './delete-tenants';
export {
  type FakeBehaviour,
  type FakeChatMessage,
  type FakeChatRequest,
  type FakeLlmServer,
  type FakeResponder,
  type FakeToolCall,
  type FakeWireToolCall,
  fakeAnswer,
  startFakeLlmServer,
} from './fake-llm-server';
export {
  type FakeCheckoutSession,
  type FakeFormBody,
  type FakeFormValue,
  type FakePaymentIntent,
  type FakeStripeBehaviour,
  type FakeStripeDelivery,
  type FakeStripeEvent,
  type FakeStripeRequest,
  type FakeStripeServer,
  parseStripeForm,
  startFakeStripeServer,
  stripeSignatureHeader,
} from './fake-stripe-server';
export { freePort } from './free-port';
export { graphqlClient } from './graphql-client';
export { type IssuerSignOptions, type JwtIssuer, type SigningKey, startJwtIssuer } from './jwt-issuer';
export {
  type AsymmetricAlg,
  type JwtClaimsInput,
  type JwtSignOptions,
  signAsymmetric,
  signHs256,
  unsignedToken,
} from './jwt-sign';
export { eventsSubscription, isContiguous, type LiveEvent, type Subscriber, subscribe, warmUp } from './live-client';
export { type RedisClusterHandle, startRedisCluster } from './redis-cluster';
export { lastToolResult, type ScriptedStep, scriptedToolAgent } from './scripted-tool-agent';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export {
  type ReceivedRequest,
  type ReceiverReply,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhook-receiver';
