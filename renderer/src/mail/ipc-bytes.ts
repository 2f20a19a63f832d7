// The IPC schemas (z.instanceof(Uint8Array)) type bytes as ArrayBuffer-backed. What the crypto
// worker and postal-mime hand back always is (structured clone and ArrayBuffer, never a
// SharedArrayBuffer), so this is a view over the same memory, not a copy of a 25 MB message.
export function ipcBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
}
