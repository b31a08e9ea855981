// The WebSocket client: sends run requests, hands every message of the
// current run to the page, and reconnects with backoff when the connection
// drops.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;

export class Stream {
  // onMessage(msg) receives the messages of the latest run; onState(state)
  // hears "open", "connecting" and "closed".
  constructor(url, { onMessage, onState }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onState = onState;
    this.nextId = 1;
    this.currentId = 0;
    this.pending = null; // the run to send once the socket opens
    this.delay = MIN_DELAY_MS;
    this.open();
  }

  open() {
    this.onState("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.delay = MIN_DELAY_MS;
      this.onState("open");
      if (this.pending) {
        ws.send(JSON.stringify(this.pending));
        this.pending = null;
      }
    });
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(event.data);
      if (msg.id === undefined || msg.id === this.currentId) this.onMessage(msg);
    });
    ws.addEventListener("close", () => {
      this.onState("closed");
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    });
  }

  // run sends a run request; messages of earlier runs are ignored from now on.
  run(request) {
    this.currentId = this.nextId++;
    const msg = { type: "run", id: this.currentId, ...request };
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
    } else {
      this.pending = msg;
    }
  }
}
