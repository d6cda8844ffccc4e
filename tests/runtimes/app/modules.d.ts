/** The module kinds a Worker imports besides JavaScript (workerd's `wasm` and `data` modules). */
declare module '*.wasm' {
  /** The module, compiled by workerd when it loads the Worker. */
  const module: WebAssembly.Module;
  export default module;
}

declare module '*.safetensors' {
  /** The file's bytes. */
  const bytes: ArrayBuffer;
  export default bytes;
}
