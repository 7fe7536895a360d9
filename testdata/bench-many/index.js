// emubench's many-objects row: /ws?name=N opens a hibernatable WebSocket on
// the object named N, which echoes each message back.
export default {
  async fetch(request, env) {
    const name = new URL(request.url).searchParams.get("name");
    if (!name) {
      return new Response("use /ws?name=<object name>", { status: 400 });
    }
    const stub = env.MANY.get(env.MANY.idFromName(name));
    return stub.fetch(request);
  },
};

export class Many {
  constructor(ctx, env) {
    this.ctx = ctx;
  }

  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected Upgrade: websocket", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    ws.send(message);
  }

  async webSocketClose(ws) {
    ws.close();
  }
}
