/**
 * @module interfaces/http/loopback
 * What counts as the loopback interface: for the bind address (any other needs a token) and for the Host
 * header of requests to a server without a token (a page on another site that rebinds its DNS name to
 * 127.0.0.1 sends its own name, and is refused).
 */

/** Whether a host name or address is the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

/** Whether a Host header (`name:port`, `[v6]:port`) names the loopback interface. */
export function isLoopbackHostHeader(header: string): boolean {
  const value = header.trim();
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.split(':', 1)[0]!;
  return isLoopbackHost(name);
}
