/**
 * @module interfaces/cli/commands/tools
 * `rtc tool [NAME] [ARGS]`: the tool catalogue that MCP and `/v1/tools` serve, from the command line, so
 * that the CLI stays the reference for every operation an assistant can call (and a way to try a tool's
 * arguments before wiring an assistant).
 */
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import { invokeTool, TOOLS, WorkspaceSet } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';

function parseArguments(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `The tool's arguments must be a JSON object: ${(error as Error).message}`,
    );
  }
}

export function registerToolCommand(program: Command, context: CliContext): void {
  const { withCommon, repoOf, indexOptions, print } = context;
  withCommon(
    program
      .command('tool')
      .description(
        'List the tools assistants can call (the same as MCP and /v1/tools), or call one with JSON arguments',
      )
      .argument('[name]', 'the tool to call (without: list the tools and their input schemas)')
      .argument(
        '[args]',
        'its arguments as a JSON object (default {}), e.g. \'{"task": "…", "budget": 2000}\'',
      )
      .addHelpText(
        'after',
        `
Prints the tool's text (what an assistant reads); --json prints its data. Calling a tool brings the index up
to date first (it takes the index's write lock: it fails while rtc serve, mcp, lsp or watch runs on the
same repository; ask that server instead).

Examples:
  rtc tool                                          the tools and their input schemas
  rtc tool get_context '{"task": "add a retry option", "budget": 3000}'
  rtc tool get_callers '{"name": "parseConfig"}' --json`,
      ),
    true,
    false,
  ).action(async (name: string | undefined, args: string | undefined, options: CommonOptions) => {
    if (name === undefined) {
      print(options, { tools: TOOLS }, () =>
        TOOLS.map((tool) => {
          const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: string[] };
          const inputs = Object.keys(schema.properties ?? {})
            .map((key) => (schema.required?.includes(key) ? key : `${key}?`))
            .join(', ');
          return `${tool.name}  {${inputs}}\n    ${tool.description}`;
        }).join('\n'),
      );
      return;
    }
    const input = parseArguments(args);
    const set = await WorkspaceSet.open([repoOf(options)], indexOptions(options));
    try {
      const output = await invokeTool(set, name, input, { source: 'cli' });
      print(options, output.data, () => output.text);
    } finally {
      await set.close();
    }
  });
}
