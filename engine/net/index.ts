/** Network transports shared by the DStream receiver and the Structured socket source. */
export {
  LineSocket,
  socketUrl,
  defaultWebSocketFactory,
  setConnectionGuard,
  setConnectionObserver,
  type ConnectionGuard,
  type ConnectionObserver,
  type LineSocketOptions,
  type LineSocketState,
  type LineSocketStateEvent,
  type LineSocketStats,
  type WebSocketLike,
  type WebSocketFactory,
} from "./LineSocket";
