/**
 * README tables generated from the wire contract (`container/src/contract`): the environment the
 * `mcp_server` module sets on each function (module README), and the configuration each function
 * reads (container README). `npm run synth` writes them; `test/publish/drift.test.ts` checks them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ENV, envReadBy, envSetByModule, type EnvName, type EnvVar, type FunctionKind } from "../../container/src/contract/index.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => `\`${text}\``;

/** The default as the README shows it: the literal, the words for a derived one, or "(unset)". */
export function defaultText(variable: EnvVar): string {
  if (variable.defaultText !== undefined) return variable.defaultText;
  const value = "default" in variable ? variable.default : undefined;
  if (value === undefined) return "(unset)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : code(value.join(","));
  return code(String(value));
}

/** What a loader accepts, in words. */
export function allowedText(variable: EnvVar): string {
  switch (variable.type) {
    case "integer":
      return `integer ${variable.min} - ${variable.max}${variable.unit === undefined ? "" : ` (${variable.unit})`}`;
    case "boolean":
      return "`true`, `false`";
    case "enum":
      return variable.values.map(code).join(", ");
    case "string":
      return variable.allowed;
    case "list":
      return `comma-separated: ${variable.allowed}`;
  }
}

/** Who sets the variable on function `kind`: a module, or the user. */
function setByText(variable: EnvVar, kind: FunctionKind): string {
  const setBy = variable.setBy;
  if (setBy === undefined || (setBy.module === "mcp_server" && !setBy.on.includes(kind))) return "you";
  return setBy.module === "mcp_server" ? "`mcp_server`" : `\`${setBy.module}\` (\`function_environment\`)`;
}

/** The module README's "Environment the function receives" tables: one per function, value by value. */
export function renderModuleEnvironment(): string {
  const table = (kind: FunctionKind) =>
    [
      "| Variable | Value |",
      "|---|---|",
      ...envSetByModule(kind).map((name) => {
        const setBy = ENV[name].setBy as { value: string };
        return `| ${code(name)} | ${cell(setBy.value)} |`;
      }),
    ].join("\n");
  const others = (Object.keys(ENV) as EnvName[]).filter((name) => {
    const setBy = (ENV[name] as EnvVar).setBy;
    return setBy !== undefined && setBy.module !== "mcp_server";
  });
  return [
    "The MCP function gets your `environment_variables`, plus these (the `MCP_` prefix is reserved for the module):",
    "",
    table("mcp"),
    "",
    "The tenant router function (with `enable_tenant_isolation`) gets exactly these:",
    "",
    table("router"),
    "",
    "The authorization server's front function (with `enable_interactive_auth`) gets exactly these:",
    "",
    table("oauth-front"),
    "",
    "Its token function gets exactly these (the front function never holds the upstream client secret or the signing key):",
    "",
    table("oauth-token"),
    "",
    "Other modules output variables for the MCP function as `function_environment`; merge them into `environment_variables`:",
    "",
    "| Variable | Module | Value |",
    "|---|---|---|",
    ...others.map((name) => {
      const setBy = (ENV[name] as EnvVar).setBy!;
      return `| ${code(name)} | ${code(setBy.module)} | ${cell(setBy.value)} |`;
    }),
  ].join("\n");
}

/** The container README's configuration table of function `kind`. */
export function renderConfigurationTable(kind: FunctionKind): string {
  return [
    "| variable | default | allowed | meaning | set by |",
    "|---|---|---|---|---|",
    ...envReadBy(kind).map((name) => {
      const variable: EnvVar = ENV[name];
      return `| ${code(name)} | ${cell(defaultText(variable))} | ${cell(allowedText(variable))} | ${cell(variable.description)}${variable.secret ? " (secret: never echoed)" : ""} | ${setByText(variable, kind)} |`;
    }),
  ].join("\n");
}

/** Generated sections of container/README.md, by marker name. */
const CONTAINER_SECTIONS: Record<string, () => string> = {
  CONFIGURATION: () => renderConfigurationTable("mcp"),
  ROUTER_CONFIGURATION: () => renderConfigurationTable("router"),
};

/** `readme` with every `<!-- BEGIN_X -->...<!-- END_X -->` section of the container README regenerated. */
export function renderContainerReadme(readme: string): string {
  let out = readme;
  for (const [marker, render] of Object.entries(CONTAINER_SECTIONS)) {
    const begin = `<!-- BEGIN_${marker} -->`;
    const end = `<!-- END_${marker} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`container README: missing ${begin} ... ${end}`);
    out = `${out.slice(0, from + begin.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}

/** Regenerate the container README at `path`, or with `check`, only report whether it is current. */
export function publishContainerReadme(path: string, options: { check?: boolean } = {}): boolean {
  const current = readFileSync(path, "utf8");
  const fresh = renderContainerReadme(current);
  if (!options.check && fresh !== current) writeFileSync(path, fresh);
  return fresh === current;
}
