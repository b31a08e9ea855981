// The 3-D view's drawing, in plain WebGL 2: one program for the lit
// height-field mesh, coloured in bands at the contour levels, and one for
// strokes of any width in pixels (segments as screen-facing quads, points as
// discs), with the few matrix functions they need.

const MESH_VERTEX = `#version 300 es
uniform mat4 u_mvp;
in vec3 a_position;
in vec3 a_normal;
in float a_height;  // the display height, 0 at the grid's least value, 1 at its greatest
in float a_defined; // 0 where the function is undefined
out vec3 v_position;
out vec3 v_normal;
out float v_height;
out float v_defined;
void main() {
  v_position = a_position;
  v_normal = a_normal;
  v_height = a_height;
  v_defined = a_defined;
  gl_Position = u_mvp * vec4(a_position, 1.0);
}`;

// The mesh is shaded by height in bands, with a thin darker line at each
// band's edge (about a pixel wide, from fwidth), lit by one directional
// light from both sides (diffuse and a little specular).
const MESH_FRAGMENT = `#version 300 es
precision highp float;
uniform vec3 u_low;
uniform vec3 u_high;
uniform float u_bands;
uniform vec3 u_light;
uniform vec3 u_eye;
in vec3 v_position;
in vec3 v_normal;
in float v_height;
in float v_defined;
out vec4 colour;
void main() {
  if (v_defined < 0.999) discard;
  float b = v_height * u_bands;
  float band = (min(floor(b), u_bands - 1.0) + 0.5) / u_bands;
  vec3 base = mix(u_low, u_high, mix(band, v_height, 0.3));
  float edge = abs(fract(b + 0.5) - 0.5) / max(fwidth(b), 1e-5);
  base *= mix(0.78, 1.0, smoothstep(0.4, 1.4, edge));
  vec3 toEye = normalize(u_eye - v_position);
  vec3 n = normalize(v_normal);
  if (dot(n, toEye) < 0.0) n = -n;
  vec3 l = normalize(u_light);
  float diffuse = max(dot(n, l), 0.0);
  float specular = pow(max(dot(n, normalize(l + toEye)), 0.0), 48.0);
  colour = vec4(base * (0.55 + 0.5 * diffuse) + 0.1 * specular, 1.0);
}`;

// A stroke vertex is its point, the other end of its segment and a side
// (±1), pushed sideways by half the width in pixels; a point has itself as
// the other end and side 0. u_bias pulls a stroke towards the camera, so a
// path lying on the mesh is drawn over it.
const STROKE_VERTEX = `#version 300 es
uniform mat4 u_mvp;
uniform vec2 u_viewport;
uniform float u_width;
uniform float u_bias;
in vec3 a_position;
in vec3 a_other;
in float a_side;
void main() {
  vec4 p = u_mvp * vec4(a_position, 1.0);
  vec4 q = u_mvp * vec4(a_other, 1.0);
  vec2 d = (q.xy / q.w - p.xy / p.w) * u_viewport;
  vec2 n = dot(d, d) > 0.0 ? normalize(vec2(-d.y, d.x)) : vec2(0.0);
  p.xy += n * a_side * u_width / u_viewport * p.w;
  p.z -= u_bias * p.w;
  gl_Position = p;
  gl_PointSize = u_width;
}`;

const STROKE_FRAGMENT = `#version 300 es
precision mediump float;
uniform vec4 u_colour;
uniform bool u_round;
out vec4 colour;
void main() {
  if (u_round && length(gl_PointCoord - 0.5) > 0.5) discard;
  colour = u_colour;
}`;

// STROKE_FLOATS is the size of a stroke vertex: position, other end, side.
export const STROKE_FLOATS = 7;

export class Scene {
  // Scene draws on canvas; it throws when the browser has no WebGL 2.
  constructor(canvas) {
    const gl = canvas.getContext("webgl2", { antialias: true, alpha: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error("WebGL 2 is unavailable");
    this.gl = gl;
    this.mesh = program(gl, MESH_VERTEX, MESH_FRAGMENT);
    this.stroke = program(gl, STROKE_VERTEX, STROKE_FRAGMENT);
    this.meshVAO = null;
    this.meshBuffers = [];
    this.meshCount = 0;
    this.strokeVAO = gl.createVertexArray();
    this.buffers = new Map(); // ArrayBuffer → its GL buffer, for the strokes of the last frame
  }

  // setMesh uploads a height field: per vertex a position (3 floats), a
  // normal (3), a height and whether it is defined, and triangle indices.
  setMesh({ positions, normals, heights, defined, indices }) {
    const gl = this.gl;
    if (this.meshVAO) gl.deleteVertexArray(this.meshVAO);
    for (const b of this.meshBuffers) gl.deleteBuffer(b);
    this.meshVAO = gl.createVertexArray();
    gl.bindVertexArray(this.meshVAO);
    this.meshBuffers = [
      attribute(gl, this.mesh, "a_position", positions, 3),
      attribute(gl, this.mesh, "a_normal", normals, 3),
      attribute(gl, this.mesh, "a_height", heights, 1),
      attribute(gl, this.mesh, "a_defined", defined, 1),
      gl.createBuffer(),
    ];
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.meshBuffers[4]);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, indices, gl.STATIC_DRAW);
    gl.bindVertexArray(null);
    this.meshCount = indices.length;
  }

  // render clears to frame.background, draws the mesh and then each stroke
  // of frame.strokes in order: {data, points, colour: [r, g, b, a], width,
  // bias, behind}. A stroke with behind set is drawn where the mesh hides
  // it too, for a faint glimpse of the hidden part of a path.
  render(frame) {
    const gl = this.gl;
    const [w, h] = frame.viewport;
    gl.viewport(0, 0, w, h);
    gl.clearColor(...frame.background, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
    gl.disable(gl.BLEND);
    if (this.meshVAO) {
      gl.useProgram(this.mesh.program);
      const u = this.mesh.uniforms;
      gl.uniformMatrix4fv(u.u_mvp, false, frame.mvp);
      gl.uniform3fv(u.u_low, frame.low);
      gl.uniform3fv(u.u_high, frame.high);
      gl.uniform1f(u.u_bands, frame.bands);
      gl.uniform3fv(u.u_light, frame.light);
      gl.uniform3fv(u.u_eye, frame.eye);
      gl.bindVertexArray(this.meshVAO);
      gl.drawElements(gl.TRIANGLES, this.meshCount, gl.UNSIGNED_INT, 0);
    }
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(this.stroke.program);
    const u = this.stroke.uniforms;
    gl.uniformMatrix4fv(u.u_mvp, false, frame.mvp);
    gl.uniform2f(u.u_viewport, w, h);
    gl.bindVertexArray(this.strokeVAO);
    const previous = this.buffers;
    this.buffers = new Map();
    for (const s of frame.strokes) {
      const count = s.data.length / STROKE_FLOATS;
      if (count === 0) continue;
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer(s.data, previous));
      const stride = STROKE_FLOATS * 4;
      pointer(gl, this.stroke, "a_position", 3, stride, 0);
      pointer(gl, this.stroke, "a_other", 3, stride, 12);
      pointer(gl, this.stroke, "a_side", 1, stride, 24);
      gl.uniform1f(u.u_width, s.width);
      gl.uniform1f(u.u_bias, s.bias ?? 0);
      gl.uniform4fv(u.u_colour, s.colour);
      gl.uniform1i(u.u_round, s.points ? 1 : 0);
      gl.depthFunc(s.behind ? gl.ALWAYS : gl.LEQUAL);
      gl.depthMask(!s.behind);
      gl.drawArrays(s.points ? gl.POINTS : gl.TRIANGLES, 0, count);
    }
    gl.depthMask(true);
    gl.bindVertexArray(null);
    for (const [key, b] of previous) if (!this.buffers.has(key)) gl.deleteBuffer(b.gl);
  }

  // buffer returns the GL buffer holding data, a view from the start of
  // its ArrayBuffer. An ArrayBuffer drawn in the last frame keeps its GL
  // buffer, which is sent only what was added since, so a growing path
  // costs only its new vertices. (Floats cut off and written again must be
  // what they were, as a path played back again is.)
  buffer(data, previous) {
    const gl = this.gl;
    const b = this.buffers.get(data.buffer) ?? previous.get(data.buffer) ?? { gl: gl.createBuffer(), capacity: 0, sent: 0 };
    gl.bindBuffer(gl.ARRAY_BUFFER, b.gl);
    if (b.capacity < data.buffer.byteLength) {
      gl.bufferData(gl.ARRAY_BUFFER, data.buffer.byteLength, gl.DYNAMIC_DRAW);
      [b.capacity, b.sent] = [data.buffer.byteLength, 0];
    }
    if (data.length > b.sent) gl.bufferSubData(gl.ARRAY_BUFFER, b.sent * data.BYTES_PER_ELEMENT, data, b.sent);
    b.sent = data.length;
    this.buffers.set(data.buffer, b);
    return b.gl;
  }
}

function program(gl, vertexSource, fragmentSource) {
  const p = gl.createProgram();
  for (const [type, source] of [
    [gl.VERTEX_SHADER, vertexSource],
    [gl.FRAGMENT_SHADER, fragmentSource],
  ]) {
    const shader = gl.createShader(type);
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(p, shader);
  }
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(p)}`);
  const uniforms = {};
  for (let i = 0; i < gl.getProgramParameter(p, gl.ACTIVE_UNIFORMS); i++) {
    const name = gl.getActiveUniform(p, i).name;
    uniforms[name] = gl.getUniformLocation(p, name);
  }
  return { program: p, uniforms };
}

// attribute uploads data into a new buffer read as attribute name, and
// returns the buffer.
function attribute(gl, prog, name, data, size) {
  const b = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, b);
  gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
  pointer(gl, prog, name, size, 0, 0);
  return b;
}

function pointer(gl, prog, name, size, stride, offset) {
  const loc = gl.getAttribLocation(prog.program, name);
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, size, gl.FLOAT, false, stride, offset);
}

// Matrices are 4 × 4, column-major Float32Arrays, as WebGL takes them.

// perspective is a projection with vertical field of view fovy (radians).
export function perspective(fovy, aspect, near, far) {
  const f = 1 / Math.tan(fovy / 2);
  const m = new Float32Array(16);
  m[0] = f / aspect;
  m[5] = f;
  m[10] = (far + near) / (near - far);
  m[11] = -1;
  m[14] = (2 * far * near) / (near - far);
  return m;
}

// lookAt is the view from eye towards target, with +z up on the screen.
export function lookAt(eye, target) {
  const z = normalize(sub(eye, target));
  const x = normalize(cross([0, 0, 1], z));
  const y = cross(z, x);
  return new Float32Array([x[0], y[0], z[0], 0, x[1], y[1], z[1], 0, x[2], y[2], z[2], 0, -dot(x, eye), -dot(y, eye), -dot(z, eye), 1]);
}

export function multiply(a, b) {
  const m = new Float32Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r] * b[c * 4 + k];
      m[c * 4 + r] = s;
    }
  }
  return m;
}

// project maps a point through m to the canvas's pixels [x, y] (y down),
// or null when it lies behind the camera.
export function project(m, [x, y, z], width, height) {
  const w = m[3] * x + m[7] * y + m[11] * z + m[15];
  if (w <= 0) return null;
  const px = (m[0] * x + m[4] * y + m[8] * z + m[12]) / w;
  const py = (m[1] * x + m[5] * y + m[9] * z + m[13]) / w;
  return [((px + 1) / 2) * width, ((1 - py) / 2) * height];
}

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a) => {
  const n = Math.hypot(...a) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};
