// The WebSocket client: sends run requests, hands every message of the
// current run to the page, and reconnects with backoff when the connection
// drops. Points come as binary frames (docs/api.md): their numbers are the
// server's float64s, read in place, with no decimal text to write or parse.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;

// A binary frame's numbers are little-endian, which a Float64Array reads in
// place only on a little-endian machine (every common one); elsewhere the
// page asks for JSON.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ENCODING = LITTLE_ENDIAN ? "binary" : "json";

const utf8 = new TextDecoder();

// TRACE_FIELDS are the fields of a trace entry in a binary frame, in the
// order of their bits in the entry's mask and of their numbers after it
// (web/streamencode.go's appendTrace, docs/api.md), each with how to read
// them.
const number = (n, i) => n[i];
const point = (n, i) => [n[i], n[i + 1]];
const symmetric = (n, i) => ({ XX: n[i], XY: n[i + 1], YY: n[i + 2] });
const TRACE_FIELDS = [
  ["gradient", 2, point],
  ["step", 2, point],
  ["lr", 1, number],
  ["update_gradient", 2, point],
  ["look_ahead", 2, point],
  ["velocity", 2, point],
  ["first_moment", 2, point],
  ["second_moment", 2, point],
  ["effective_lr", 2, point],
  ["hessian", 3, symmetric],
  ["eigenvalues", 2, point],
  ["eigenvectors", 4, (n, i) => [point(n, i), point(n, i + 2)]],
  ["direction", 2, point],
  ["inverse_hessian", 3, symmetric],
  ["beta", 1, number],
];

// decodePoints reads a binary points frame into the message JSON would
// carry: {type, id, run, path: [[x, y], …], loss: […], average, evals,
// trace, stages}. After the header's length and the header come x, y, f of
// each iterate, then its running averages, then the probes as [k, x, y],
// then its trace entries, each a mask of the fields present and their
// numbers.
function decodePoints(buffer) {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const { points, averages, evals, traces, ...msg } = JSON.parse(utf8.decode(new Uint8Array(buffer, 4, headerLength)));
  const numbers = new Float64Array(buffer, 4 + headerLength);
  msg.path = new Array(points);
  msg.loss = new Array(points);
  for (let i = 0; i < points; i++) {
    msg.path[i] = [numbers[3 * i], numbers[3 * i + 1]];
    msg.loss[i] = numbers[3 * i + 2];
  }
  let at = 3 * points;
  if (averages > 0) {
    msg.average = new Array(averages);
    for (let i = 0; i < averages; i++, at += 2) msg.average[i] = [numbers[at], numbers[at + 1]];
  }
  if (evals > 0) {
    msg.evals = new Array(evals);
    for (let i = 0; i < evals; i++, at += 3) msg.evals[i] = [numbers[at], numbers[at + 1], numbers[at + 2]];
  }
  if (traces > 0) {
    msg.trace = new Array(traces);
    for (let i = 0; i < traces; i++) {
      const mask = numbers[at++];
      const entry = { state: {} };
      TRACE_FIELDS.forEach(([name, count, read], bit) => {
        if (!(mask & (1 << bit))) return;
        (bit < 2 ? entry : entry.state)[name] = read(numbers, at);
        at += count;
      });
      msg.trace[i] = entry;
    }
  }
  return msg;
}

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
    ws.binaryType = "arraybuffer";
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
      const msg = typeof event.data === "string" ? JSON.parse(event.data) : decodePoints(event.data);
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
    const msg = { type: "run", id: this.currentId, encoding: ENCODING, ...request };
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
    } else {
      this.pending = msg;
    }
  }
}
