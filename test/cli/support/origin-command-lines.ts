/**
 * The Go example scheduler's command lines for each Docker network mode, as its documentation
 * prints them. The documentation shows host, bridge and none; the user line follows the same
 * pattern with -networkName, a flag this command line adds.
 */
export const ORIGIN_COMMAND_LINES = {
  host: String.raw`./simple_scheduler \
    -host=192.168.56.11 \
    -master 192.168.56.21:5050 \
    -enableContainer \
    -containerType=docker \
    -image "ugistry.ucloud.cn/library/centos:6.6" \
    -network host \
    -cmd "ifconfig && sleep 600"`,
  bridge: String.raw`./simple_scheduler \
    -enableContainer \
    -containerType=docker \
    -host=192.168.56.11 \
    -image "ugistry.ucloud.cn/library/centos:6.6" \
    -master=192.168.56.23:5050 \
    -network=bridge \
    -expose 8888 \
    -cmd "ifconfig && sleep 3000"`,
  none: String.raw`./simple_scheduler \
    -host=192.168.56.11 \
    -master 192.168.56.21:5050 \
    -enableContainer \
    -containerType=docker \
    -image "ugistry.ucloud.cn/library/centos:6.6" \
    -network none \
    -cmd "ifconfig && sleep 600"`,
  user: String.raw`./simple_scheduler \
    -host=192.168.56.11 \
    -master 192.168.56.21:5050 \
    -enableContainer \
    -containerType=docker \
    -image "ugistry.ucloud.cn/library/centos:6.6" \
    -network user \
    -networkName app-net \
    -cmd "ifconfig && sleep 600"`,
} as const;

export type OriginMode = keyof typeof ORIGIN_COMMAND_LINES;

/**
 * Splits a shell command line the way sh does for these examples: backslash-newline joins
 * lines, double quotes group words. Returns the arguments after the program name.
 */
export function originArguments(mode: OriginMode): string[] {
  const text = ORIGIN_COMMAND_LINES[mode].replace(/\\\n/g, ' ');
  const words = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
  return words.slice(1);
}

/** Replaces the value of `-master` (in either spelling) with another address. */
export function withMaster(argv: readonly string[], master: string): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '-master') {
      result.push('-master', master);
      index += 1;
    } else if (argument.startsWith('-master=')) {
      result.push(`-master=${master}`);
    } else {
      result.push(argument);
    }
  }

  return result;
}
