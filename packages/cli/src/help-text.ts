/** What `pixlock --help` prints after the commands: environment, exit codes, examples. */
export const HELP_FOOTER = `
Environment:
  KINOVI_API_KEY   the kinovi API key (or in .env beside the manifest; never in the manifest)
  KINOVI_BASE_URL  another kinovi endpoint (e.g. the fake server on 127.0.0.1)
  GEMINI_API_KEY   the Gemini API key (GOOGLE_API_KEY wins when both are set; or in .env)
  GOOGLE_GEMINI_BASE_URL  another root for the Gemini API (v1beta is appended)
  AWS_ENDPOINT_URL_S3  the S3 endpoint of the manifest's store (R2, MinIO...; or AWS_ENDPOINT_URL);
                   credentials from the AWS SDK's chain (AWS_ACCESS_KEY_ID..., AWS_PROFILE, OIDC)
  CI               when set: no progress bar (one line per image); the Vite plugin builds frozen
  NO_COLOR         when set: no colour (also off in pipes and for TERM=dumb)
  FORCE_COLOR      when set (not 0): colour even in a pipe
  PIXLOCK_DEBUG    when set: stack traces for unexpected errors
  CI_NODE_INDEX/CI_NODE_TOTAL (GitLab), CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL (CircleCI),
  BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT (Buildkite)
                   read by --shard auto: which parallel job this is

Exit codes:
  0   done, or nothing to do
  1   an image failed or is held, check found drift, --frozen needs the provider,
      or another process holds the project
  2   bad manifest, lock or arguments
  70  a bug in pixlock (error INTERNAL): please report it
  74  the disk is full or failing (DISK_FULL, DISK_ERROR): free space, run generate again
      (paid tasks are resumed; one whose id no disk took is printed as --resume <id=taskId>)
  141 the reader of stdout went away (a closed pipe, as with git)
  plan --detailed-exitcode: 0 nothing to do, 2 changes pending, 1 any error

Output:
  stdout carries results (plans, summaries, --json documents); stderr carries progress
  and diagnostics. Every --json document has "version", "command", "ok" and "counts".

Examples:
  pixlock init && pixlock generate           start a manifest and generate it offline
  pixlock plan --detailed-exitcode --json    in CI: exit 2 when images are out of date
  pixlock generate --only 'team/*' --max-credits 60
  pixlock generate --no-wait                 submit batch jobs and exit; a later generate collects
  pixlock generate --shard 2/4 && pixlock merge   one shard of four, then (all four done) one lock
  pixlock store push && pixlock check --store  move a project's images into its store (store:)
`;
