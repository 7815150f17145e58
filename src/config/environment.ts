// An environment as declared in baton.yaml: where a run happens and how careful baton must be there.

/** AutoSys settings of an environment. */
export interface AutosysSettings {
  /** Folder holding `sendevent`, `autorep`, `jil`, `autostatus`; PATH is searched when absent. */
  bin?: string;
  /** AutoSys instance (`$AUTOSERV`, `-S`). */
  instance?: string;
  /** Extra environment variables for the AutoSys commands. */
  env?: Record<string, string>;
}

/** Control-M Automation API settings of an environment. */
export interface ControlmSettings {
  /** Base URL, e.g. `https://em.example.com:8443/automation-api`. */
  endpoint: string;
  /** Control-M/Server name used when ordering folders. */
  server?: string;
  /** User name, or the name of a variable holding it. */
  user?: string;
  /** Name of the runbook or environment variable holding the password (never the password itself). */
  passwordVariable?: string;
  /** Name of the variable holding an API token (`x-api-key`), instead of user and password. */
  tokenVariable?: string;
  /** Accept a self-signed certificate. Off unless set on purpose. */
  insecure?: boolean;
}

/** One environment of baton.yaml. */
export interface Environment {
  name: string;
  /** One line saying what this environment is. */
  description?: string;
  /** Writes ask for confirmation and destructive steps ask for the environment's name to be typed. */
  protected: boolean;
  /** Snowflake connection name (connections.toml / config.toml). */
  connection?: string;
  /** Start the local sandbox (Snowflake and scheduler fakes) on demand for this environment. */
  sandbox?: boolean;
  autosys?: AutosysSettings;
  controlm?: ControlmSettings;
  /** Values for runbook variables in this environment. */
  variables: Record<string, string>;
  /** Web address of the Snowflake account, for links to query history in documents. */
  accountUrl?: string;
}
