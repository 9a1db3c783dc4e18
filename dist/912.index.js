export const id = 912;
export const ids = [912];
export const modules = {

/***/ 95912:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  githubHost: () => (/* binding */ githubHost),
  run: () => (/* binding */ main_run),
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
;// CONCATENATED MODULE: ./src/context.ts

function obj(v) {
    return v !== null && typeof v === 'object' ? v : undefined;
}
function str(v) {
    return typeof v === 'string' ? v : undefined;
}
function readPayload(env) {
    const file = env.GITHUB_EVENT_PATH;
    if (file && external_node_fs_.existsSync(file)) {
        return JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    }
    return {};
}
/** GITHUB_* variables + event payload → RunContext, with metadata-action's overrides applied. */
function contextFromEnv(env, payload) {
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    let ref = env.GITHUB_REF ?? '';
    let sha = env.GITHUB_SHA ?? '';
    const pr = obj(payload.pull_request);
    // pull_request_target runs on the base branch; tags must still name the PR.
    if (/pull_request_target/.test(eventName)) {
        ref = `refs/pull/${String(payload.number)}/merge`;
    }
    if (/true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') && /pull_request/.test(eventName)) {
        const headSha = str(obj(pr?.head)?.sha);
        if (headSha !== undefined)
            sha = headSha;
    }
    const [owner = '', repoName = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
    const release = obj(payload.release);
    return {
        eventName,
        ref,
        sha,
        payloadBaseRef: str(payload.base_ref),
        prBaseRef: str(obj(pr?.base)?.ref),
        payloadDefaultBranch: str(obj(payload.repository)?.default_branch),
        commitDate: new Date(0),
        payloadCommitDate: commitDateFromPayload(payload, sha),
        repository: env.GITHUB_REPOSITORY ?? '',
        owner,
        repoName,
        actor: env.GITHUB_ACTOR ?? '',
        runId: env.GITHUB_RUN_ID ?? '',
        runNumber: env.GITHUB_RUN_NUMBER ?? '',
        workflow: env.GITHUB_WORKFLOW ?? '',
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        prNumber: typeof pr?.number === 'number' ? pr.number : undefined,
        release: release
            ? {
                tagName: str(release.tag_name) ?? '',
                prerelease: release.prerelease === true,
                id: typeof release.id === 'number' ? release.id : 0,
                uploadUrl: str(release.upload_url) ?? ''
            }
            : undefined,
        payload
    };
}
function commitDateFromPayload(payload, sha) {
    if (Array.isArray(payload.commits)) {
        for (const c of payload.commits) {
            const commit = obj(c);
            if (commit?.id === sha && str(commit.timestamp))
                return new Date(str(commit.timestamp));
        }
    }
    const head = obj(payload.head_commit);
    if (head?.id === sha && str(head.timestamp)) {
        return new Date(str(head.timestamp));
    }
    return undefined;
}
/** Repository data for labels from the payload, when it carries it (push, PR, release, dispatch do). */
function repoFromPayload(payload) {
    const repo = obj(payload.repository);
    if (!repo || !str(repo.html_url) || !str(repo.name)) {
        return undefined;
    }
    // The payload's repository object has the REST API's fields.
    return repoFromApi(repo);
}
/** What the REST API returns for GET /repos/{owner}/{repo}, reduced to what labels use. */
function repoFromApi(data) {
    return {
        name: str(data.name) ?? '',
        description: str(data.description) ?? '',
        htmlUrl: str(data.html_url) ?? '',
        license: str(obj(data.license)?.spdx_id) ?? '',
        defaultBranch: str(data.default_branch) ?? ''
    };
}
/** `org.opencontainers.image.created`: SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
function createdDate(env, now) {
    const epoch = env.SOURCE_DATE_EPOCH;
    if (epoch === undefined || epoch === '') {
        return now;
    }
    if (!/^[0-9]+$/.test(epoch)) {
        throw new Error(`SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, got "${epoch}"`);
    }
    return new Date(Number(epoch) * 1000);
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/report/commands.ts
var commands = __webpack_require__(74506);
;// CONCATENATED MODULE: ./src/github/octokit.ts
let loading;
async function getOctokit(token, baseUrl) {
    loading ??= Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 61351));
    return (await loading).getOctokit(token, { baseUrl });
}

;// CONCATENATED MODULE: ./src/github/repo.ts




/** Repository data for labels: the payload when it has it, else GET /repos/{owner}/{repo}. */
async function loadRepoInfo(ctx, token) {
    const fromPayload = repoFromPayload(ctx.payload);
    if (fromPayload)
        return fromPayload;
    const fallback = {
        name: ctx.repoName,
        description: '',
        htmlUrl: ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '',
        license: '',
        defaultBranch: ''
    };
    if (!token || !ctx.owner) {
        (0,commands/* warning */.$e)('The event payload has no repository data and no github-token is set: labels carry only the repository name and URL');
        return fallback;
    }
    try {
        const octokit = await getOctokit(token, ctx.apiUrl);
        const res = await octokit.rest.repos.get({ owner: ctx.owner, repo: ctx.repoName });
        return repoFromApi(res.data);
    }
    catch (err) {
        (0,commands/* warning */.$e)(`Could not read repository data from the GitHub API (${(0,errors/* errorText */.k)(err)}); labels carry only the repository name and URL`);
        return fallback;
    }
}
/** The commit date: payload first, then the API, then now (as metadata-action does). */
async function loadCommitDate(ctx, token, now) {
    if (ctx.payloadCommitDate)
        return ctx.payloadCommitDate;
    if (token && ctx.owner && ctx.sha) {
        try {
            const octokit = await getOctokit(token, ctx.apiUrl);
            const res = await octokit.rest.repos.getCommit({ owner: ctx.owner, repo: ctx.repoName, ref: ctx.sha });
            const date = res.data.commit.committer?.date;
            if (date)
                return new Date(date);
        }
        catch (err) {
            (0,commands/* debug */.Yz)(`commit date from API failed: ${(0,errors/* errorText */.k)(err)}`);
        }
    }
    return now;
}
/**
 * Whether the repository is private, from a repository object (event payload or API): `private`
 * first, else `visibility` (internal counts as private: not everyone may read it). Unknown: undefined.
 */
function privateFrom(repository) {
    if (!repository || typeof repository !== 'object')
        return undefined;
    const r = repository;
    if (typeof r.private === 'boolean')
        return r.private;
    if (typeof r.visibility === 'string')
        return r.visibility !== 'public';
    return undefined;
}
/** The provenance default depends on it: the payload when it says, else the API, else unknown (public). */
async function loadRepoPrivate(ctx, token) {
    const fromPayload = privateFrom(ctx.payload.repository);
    if (fromPayload !== undefined || !token || !ctx.owner)
        return fromPayload;
    try {
        const octokit = await getOctokit(token, ctx.apiUrl);
        const res = await octokit.rest.repos.get({ owner: ctx.owner, repo: ctx.repoName });
        return privateFrom(res.data);
    }
    catch (err) {
        (0,commands/* debug */.Yz)(`repository visibility from API failed: ${(0,errors/* errorText */.k)(err)}`);
        return undefined;
    }
}

// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(33243);
;// CONCATENATED MODULE: ./src/policy/locate.ts

/**
 * Parses YAML and remembers where every node is, from js-yaml's open/close events: each
 * composed node becomes a tree node spanning [start, end). The parser composes some nodes
 * twice (a scalar or flow collection inside a block is tried as a mapping key first), which
 * shows up as a node whose only child holds the very same value; `unwrap` sees through it.
 * Throws js-yaml's own exception (with its line) on a syntax error.
 */
function loadLocated(text, filename) {
    const stack = [{ start: 0, end: text.length, result: undefined, children: [] }];
    const value = js_yaml/* default.load */.Ay.load(text, {
        filename,
        listener(event, state) {
            if (event === 'open') {
                const node = { start: state.position, end: state.position, result: undefined, children: [] };
                stack[stack.length - 1].children.push(node);
                stack.push(node);
            }
            else {
                const node = stack.pop();
                node.end = state.position;
                node.result = state.result;
            }
        }
    });
    const root = stack[0].children[0];
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++)
        if (text[i] === '\n')
            lineStarts.push(i + 1);
    const lineAt = (node) => lineOfOffset(lineStarts, contentStart(text, node.start));
    const isKey = (node) => /^[ \t]*:/.test(text.slice(node.end, node.end + 200));
    /** The node at `path` as far as it exists in the text, its line, and the key node of the last step. */
    const walk = (path) => {
        let node = root;
        let line = lineAt(root);
        let key;
        for (const segment of path) {
            const here = unwrap(node);
            let next;
            key = undefined;
            if (typeof segment === 'number') {
                if (!Array.isArray(here.result))
                    return { node, line, found: false };
                next = here.children[segment];
                if (!next)
                    return { node, line, found: false };
                line = lineAt(next);
            }
            else {
                if (here.result === null || typeof here.result !== 'object' || Array.isArray(here.result))
                    return { node, line, found: false };
                const at = here.children.findIndex(c => isKey(c) && String(c.result) === segment);
                if (at < 0)
                    return { node, line, found: false };
                // A key's line, not its value's: a nested mapping's value starts on the next line.
                line = lineAt(here.children[at]);
                key = here.children[at];
                next = here.children[at + 1];
                if (!next || isKey(next))
                    return { node, line, key, found: false };
            }
            node = next;
        }
        return { node, line, key, found: true };
    };
    return {
        value,
        lineOf(path) {
            // An empty document has no line of its own; its first line is the honest answer.
            if (!root || root.result === null || root.result === undefined)
                return 1;
            return walk(path).line;
        },
        spanOf(path) {
            if (!root || path.length === 0)
                return undefined;
            const { node, key, found } = walk(path);
            if (!key)
                return undefined;
            if (!found)
                return { keyEnd: key.end, start: key.end, end: key.end };
            const inner = unwrap(node);
            return { keyEnd: key.end, start: contentStart(text, inner.start), end: inner.end };
        }
    };
}
function unwrap(node) {
    let n = node;
    while (n.children.length === 1 && n.children[0].result === n.result)
        n = n.children[0];
    return n;
}
/** Where a node's text begins: an opening event fires before the separating spaces, newlines and comments. */
function contentStart(text, from) {
    let i = from;
    while (i < text.length) {
        const ch = text[i];
        if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
            i++;
        }
        else if (ch === '#') {
            while (i < text.length && text[i] !== '\n')
                i++;
        }
        else {
            break;
        }
    }
    return i;
}
function lineOfOffset(lineStarts, offset) {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo + 1;
}

;// CONCATENATED MODULE: ./src/plan/registry-auth.ts


const HINT = 'write each value as a quoted string, e.g. password: ${{ toJSON(secrets.X) }}';
const KEYS = ['registry', 'username', 'password'];
/**
 * Parses `registry-auth`: a YAML list of `{registry, username, password}`. Workflows paste
 * `${{ secrets.X }}` into this YAML, so a secret can be cut short (` #` starts a comment) or bend
 * the syntax (a leading `*`, `&`, `!`, `@`): such entries are refused, never guessed at. Errors name
 * the input, the entry and the key, never a value; a syntax error gives its line but not the text
 * or js-yaml's reason (both may hold a password).
 */
function parseRegistryAuth(text) {
    if (text.trim() === '')
        return [];
    let located;
    try {
        located = loadLocated(text, 'registry-auth');
    }
    catch (err) {
        const mark = err.mark;
        throw new Error(`Input "registry-auth" is not valid YAML${mark ? ` (line ${mark.line + 1})` : ''}: expected a list of {registry, username, password}; ${HINT}`);
    }
    const doc = located.value;
    if (!Array.isArray(doc)) {
        throw new Error('Input "registry-auth" must be a YAML list of {registry, username, password}');
    }
    const creds = doc.map((entry, i) => {
        const where = `Input "registry-auth" entry ${i + 1}`;
        if (entry !== null && (typeof entry !== 'object' || Array.isArray(entry))) {
            throw new Error(`${where}: must be a mapping of registry, username, password`);
        }
        const e = (entry ?? {});
        for (const key of Object.keys(e)) {
            if (!KEYS.includes(key))
                throw new Error(`${where}: unknown key "${key}" (registry, username, password)`);
        }
        for (const key of KEYS)
            checkWritten(text, located, i, key, e[key], where);
        return checked({
            registry: typeof e.registry === 'string' ? e.registry.trim() : '',
            username: typeof e.username === 'string' ? e.username : '',
            password: typeof e.password === 'string' ? e.password : ''
        }, where);
    });
    return noDuplicates(creds.map((c, i) => ({ cred: c, from: `Input "registry-auth" entry ${i + 1}` })));
}
/**
 * How one value was written. Only a string counts (an unquoted 0123 or true is not the secret);
 * a plain (unquoted) password followed by ` #` was cut there by the YAML comment; an anchor or a
 * tag means the secret began with `&` or `!` and YAML took it for syntax.
 */
function checkWritten(text, located, i, key, value, where) {
    const span = located.spanOf([i, key]);
    if (!span)
        return;
    const what = `${where}: "${key}"`;
    const lineRest = (from) => text.slice(from).split(/\r?\n/, 1)[0];
    const syntax = (ch) => new Error(`${what} begins with "${ch}", which YAML reads as an anchor or a tag, not text; ${HINT}`);
    if (value === null || value === undefined) {
        const after = lineRest(span.keyEnd);
        if (key === 'password' && /^:[ \t]+#/.test(after))
            throw new Error(`${what} is empty: the value starts with "#", which YAML reads as a comment; ${HINT}`);
        const prop = /^:[ \t]+([&!])/.exec(after);
        if (prop)
            throw syntax(prop[1]);
        return; // "required" is said by checked()
    }
    const raw = text.slice(span.start, span.end);
    if (/^[&!]/.test(raw))
        throw syntax(raw[0]);
    if (typeof value !== 'string')
        throw new Error(`${what} must be a string; ${HINT}`);
    // A plain scalar's span ends after the blanks that precede a comment.
    const trailing = /[ \t]*$/.exec(raw)?.[0] ?? '';
    if (key === 'password' && !/^["']/.test(raw) && /^[ \t]+#/.test(trailing + lineRest(span.end))) {
        throw new Error(`${what} is followed by " #...", which YAML cut off as a comment (a password holding " #"?); ${HINT}`);
    }
}
/** The rules every credential follows, wherever it came from. */
function checked(c, where) {
    const { registry, username, password } = c;
    if (!registry)
        throw new Error(`${where}: "registry" is required`);
    if (/^https?:\/\//.test(registry) || registry.includes('/'))
        throw new Error(`${where}: "registry" is a host[:port] such as quay.io, got "${registry}"`);
    if (!username)
        throw new Error(`${where} (${registry}): "username" is required`);
    if (!password)
        throw new Error(`${where} (${registry}): "password" is required (use a secret)`);
    if (registry === 'quay.io' && username.includes('+') && !/^[a-z0-9_]+\+[a-z0-9_]+$/.test(username)) {
        throw new Error(`${where} (quay.io): a Quay robot account is "<organization>+<name>", got "${username}"`);
    }
    return c;
}
function noDuplicates(list) {
    const seen = new Map();
    for (const { cred, from } of list) {
        const first = seen.get(cred.registry);
        if (first !== undefined) {
            const fromInput = (s) => s.replace(/^Input /, '');
            throw new Error(first.startsWith('Input "registry-auth"') && from.startsWith('Input "registry-auth"')
                ? `${from}: "${cred.registry}" is listed twice`
                : `Inputs ${fromInput(first)} and ${fromInput(from)} both give credentials for ${cred.registry}: keep one`);
        }
        seen.set(cred.registry, from);
    }
    return list.map(l => l.cred);
}
/**
 * Every explicit credential: `registry` + `username` + `password` first, then `registry-auth`.
 * Naming one registry in both is an error naming both inputs.
 */
function explicitCredentials(registryAuth, single) {
    const fromList = parseRegistryAuth(registryAuth);
    const given = ['registry', 'username', 'password'].filter(k => single[k] !== '');
    if (given.length === 0)
        return fromList;
    const missing = ['registry', 'username', 'password'].filter(k => single[k] === '');
    if (missing.length > 0) {
        throw new Error(`Input "${missing[0]}" is required with ${given.map(g => `"${g}"`).join(' and ')} (registry, username and password go together)`);
    }
    const one = checked({ ...single, registry: single.registry.trim() }, 'Input "registry"');
    const list = [
        { cred: one, from: 'Input "registry"' },
        ...fromList.map((cred, i) => ({ cred, from: `Input "registry-auth" (entry ${i + 1})` }))
    ];
    return noDuplicates(list);
}
/**
 * Every password `registry-auth` holds, read leniently (a document the parser refuses may still
 * hold secrets worth masking before its error is printed): the parsed values and, line by line,
 * what follows `password:`.
 */
function registryAuthPasswords(text) {
    const out = [];
    try {
        const doc = js_yaml/* default.load */.Ay.load(text);
        if (Array.isArray(doc)) {
            for (const e of doc) {
                const r = (e ?? {});
                if (typeof r.password === 'string' || typeof r.password === 'number')
                    out.push({ username: typeof r.username === 'string' ? r.username : '', password: String(r.password) });
            }
        }
    }
    catch {
        // The line scan below still finds them.
    }
    for (const m of text.matchAll(/password\s*:[ \t]*(.*)$/gm)) {
        const raw = m[1].trim();
        if (raw)
            out.push({ username: '', password: raw }, { username: '', password: raw.replace(/^(["'])(.*)\1$/, '$2') });
    }
    return out;
}
/**
 * The credentials a run needs: explicit ones first; GHCR falls back to the workflow's actor and
 * github-token; registries without credentials stay anonymous or use an existing docker login.
 */
function credentialsFor(registries, explicit, ghcr) {
    const out = [...explicit];
    for (const registry of registries) {
        if (registry === 'ghcr.io' && !explicit.some(c => c.registry === registry) && ghcr.actor && ghcr.token) {
            out.push({ registry, username: ghcr.actor, password: ghcr.token });
        }
    }
    return out;
}

// EXTERNAL MODULE: ./node_modules/csv-parse/lib/sync.js + 8 modules
var sync = __webpack_require__(40712);
;// CONCATENATED MODULE: ./src/meta/refusal.ts
/**
 * The one shape of a refusal in the tag engine: which input, which entry of it, and the rule it broke.
 * metadata-action's own wording ("Missing pattern attribute for …") named neither the input nor the
 * rule; ours is grep-able by the input name, which is what a workflow author looks for.
 */
const EXCERPT = 200;
/** An entry as quoted in a message: at most EXCERPT characters, so a pasted blob cannot flood the log. */
function excerpt(entry) {
    return entry.length > EXCERPT ? `${entry.slice(0, EXCERPT)}… (${entry.length} characters)` : entry;
}
function refusal(input, entry, rule) {
    return new Error(`Input "${input}": entry "${excerpt(entry)}": ${rule}`);
}

;// CONCATENATED MODULE: ./src/meta/list.ts


/**
 * Splits a multi-line action input into entries the way docker/metadata-action does (CSV records,
 * `#` comments). With `ignoreComma` each line stays one entry. `quote: false` keeps quotes in the
 * entry so the rule parsers see `type=match,"pattern=\d{1,2}"` whole.
 * Since metadata-action v6 a `#` is a comment only at the start of a line (`foo=a#b` keeps its `#`);
 * that holds for the line-per-entry lists (`ignoreComma`, which is how it reads images, tags, flavor,
 * labels and annotations) unless `commentNoInfix: false` says otherwise.
 */
function parseList(input, opts = {}) {
    if (input === '') {
        return [];
    }
    const records = (0,sync/* parse */.q)(input, {
        columns: false,
        relaxQuotes: true,
        comment: opts.comment,
        comment_no_infix: opts.commentNoInfix ?? opts.ignoreComma === true,
        quote: opts.quote,
        relaxColumnCount: true,
        skipEmptyLines: true
    });
    const out = [];
    for (const record of records) {
        if (record.length === 1) {
            out.push(...(opts.ignoreComma ? [record[0]] : record[0].split(',')));
        }
        else if (opts.ignoreComma) {
            out.push(record.join(','));
        }
        else {
            out.push(...record);
        }
    }
    return out.filter(item => item).map(item => item.trim());
}
/** One CSV record of `key=value` fields (split at the first `=`), as metadata-action's parsers read it. */
function parseFields(entry, input) {
    let records;
    try {
        records = (0,sync/* parse */.q)(entry, { relaxColumnCount: true, skipEmptyLines: true });
    }
    catch (err) {
        // csv-parse's message quotes the field but not the input; a `"` inside a field is the usual cause.
        const why = (err instanceof Error ? err.message : String(err)).split(',')[0];
        throw refusal(input, entry, `not a valid comma-separated entry (${why}); quote a whole field ("value=a,b") or use ' inside`);
    }
    const fields = records[0] ?? [];
    return fields.map(field => field
        .toString()
        .split(/(?<=^[^=]+?)=/)
        .map(part => part.trim()));
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/registry/reference.ts
// Image references: `host[:port]/repo[:tag][@sha256:...]` → registry, repository, tag, digest.
// Pure. The grammar follows distribution/reference (the one docker, buildx and regctl share), so a
// name this module accepts is one every registry client of the pipeline accepts too. It is the
// action's only image-name grammar: policy binding, merge sources, SARIF and the images input all
// compare canonicalName's spelling. Stricter than distribution/reference on purpose: the host is
// lowercased, a port must be 1..65535, and `docker.io:443` stays a registry of its own (docker's
// behaviour: only the bare aliases are Docker Hub).
const DOCKER_HUB = 'docker.io';
/** Docker Hub's registry API lives on another host than the name users write. */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API_HOST]);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const MAX_NAME_LENGTH = 255;
function isDigest(value) {
    return DIGEST.test(value);
}
function isValidTag(value) {
    return TAG.test(value);
}
function isValidRepository(value) {
    return value.length > 0 && value.length <= MAX_NAME_LENGTH && value.split('/').every(c => PATH_COMPONENT.test(c));
}
function reference_isDockerHub(registry) {
    return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}
/** The host the /v2/ API is reached on: `docker.io` → `registry-1.docker.io`, others unchanged. */
function registryApiHost(registry) {
    return reference_isDockerHub(registry) ? DOCKER_HUB_API_HOST : registry;
}
/**
 * The first path component is a registry host only when it looks like one (has a dot or a port,
 * or is `localhost`), exactly docker's rule: `acme/app` is Docker Hub's acme/app, not a host "acme".
 * Docker also takes a component with capitals for a host (`Acme/app`); such a host has no
 * lowercase spelling that still reads as a host, so it is refused rather than guessed.
 */
function splitHost(name) {
    const slash = name.indexOf('/');
    if (slash < 0)
        return [undefined, name];
    const first = name.slice(0, slash);
    const isHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
    return isHost ? [first, name.slice(slash + 1)] : [undefined, name];
}
/**
 * `host[:port]` → the one spelling every comparison uses: lowercased (host names are
 * case-insensitive, RFC 4343, and the images input is lowercased anyway, so `GHCR.io` and
 * `ghcr.io` are one registry), the port without leading zeros, Docker Hub's aliases as `docker.io`.
 * (distribution/reference keeps the host as written.) Comparing any other spelling is how
 * `index.docker.io/acme/app` used to escape a `docker.io/acme/` policy.
 */
function canonicalHost(written, bad) {
    if (!HOST.test(written))
        bad(`registry host "${written}" is not a host[:port]`);
    const lower = written.toLowerCase();
    const portAt = lower.startsWith('[') ? lower.indexOf(']:') + 1 : lower.lastIndexOf(':');
    const host = portAt > 0 ? lower.slice(0, portAt) : lower;
    if (!/[.:[]/.test(host) && host !== 'localhost') {
        bad(`registry host "${written}" is a host only by its capitals; write the host lowercase with a dot or a port`);
    }
    let port = '';
    if (portAt > 0) {
        const n = Number(lower.slice(portAt + 1));
        if (!(n >= 1 && n <= 65535))
            bad(`registry "${written}" has port ${lower.slice(portAt + 1)}; a port is 1 to 65535`);
        port = `:${n}`;
    }
    return reference_isDockerHub(host) && port === '' ? DOCKER_HUB : `${host}${port}`;
}
/**
 * `[host[:port]/]path` (no tag, no digest) → canonical registry and repository, Docker Hub's
 * official images under `library/`. The path is not checked here: callers word that rule
 * themselves (the images input names path components, a reference names the repository).
 */
function splitName(name, bad) {
    const [written, path] = splitHost(name);
    const registry = written === undefined ? DOCKER_HUB : canonicalHost(written, bad);
    // Docker Hub's official images live under library/: `busybox` is `library/busybox`.
    const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
    return { registry, repository };
}
function parseReference(ref) {
    const bad = (why) => {
        throw new Error(`Invalid image reference "${ref}": ${why}`);
    };
    if (ref.trim() !== ref || ref.length === 0)
        bad('empty or surrounded by spaces');
    let rest = ref;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!isDigest(digest))
            bad(`digest "${digest}" is not sha256:<64 hex> or sha512:<128 hex>`);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!isValidTag(tag))
            bad(`tag "${tag}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
    }
    const { registry, repository } = splitName(rest, bad);
    if (!isValidRepository(repository)) {
        bad(`repository "${repository}" must be lowercase path components of [a-z0-9] joined by . _ __ or -`);
    }
    const out = { registry, repository };
    if (tag !== undefined)
        out.tag = tag;
    if (digest !== undefined)
        out.digest = digest;
    return out;
}
/**
 * The name every comparison uses (policy binding, merge sources, SARIF): `registry/repository`
 * of a reference, tag and digest dropped. `app`, `library/app`, `docker.io/app` and
 * `index.docker.io/library/app` are all `docker.io/library/app`. Throws on an invalid reference.
 */
function canonicalName(ref) {
    const { registry, repository } = parseReference(ref);
    return `${registry}/${repository}`;
}
/**
 * A policy `match` prefix in canonicalName's spelling, so it is compared with like: the host as
 * canonicalHost writes it (`index.docker.io/acme/` is `docker.io/acme/`), the rest as written —
 * a prefix may end mid-name (`ghcr.io/acme/release-`). A lone Docker Hub name (`docker.io/nginx`)
 * is refused: it reads as the official image (`docker.io/library/nginx`) or as the start of a
 * namespace, and guessing either lets the other's images escape the entry.
 */
function canonicalPrefix(prefix, bad) {
    const slash = prefix.indexOf('/');
    if (slash < 0)
        return HOST.test(prefix) && reference_isDockerHub(prefix) ? DOCKER_HUB : prefix;
    const registry = canonicalHost(prefix.slice(0, slash), bad);
    const path = prefix.slice(slash + 1);
    if (registry === DOCKER_HUB && isValidRepository(path) && !path.includes('/')) {
        bad(`Docker Hub's "${path}" is ambiguous as a prefix: write ${DOCKER_HUB}/library/${path} for the official image ` +
            `or ${DOCKER_HUB}/${path}/ for the namespace`);
    }
    return `${registry}/${path}`;
}
/** Back to text: `registry/repository[:tag][@digest]`. */
function formatReference(r) {
    return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

;// CONCATENATED MODULE: ./src/policy/patterns.ts
/** Named classes usable inside `{...}`. */
const TAG_CLASSES = {
    semver: '\\d+\\.\\d+\\.\\d+',
    n: '\\d+',
    sha: '[0-9a-f]{7,40}'
};
const KNOWN = Object.keys(TAG_CLASSES)
    .map(name => `{${name}}`)
    .join(', ');
const TAG_CHAR = /^[A-Za-z0-9_.-]$/;
// Tags are at most 128 characters; a longer regex is almost certainly a mistake.
const MAX_REGEX_LENGTH = 256;
/**
 * Compiles one pattern: literal tag characters, `*` (any run of tag characters), `{semver}`,
 * `{n}`, `{sha}`, or a `/regex/`. Always anchored: a pattern describes the whole tag.
 * Throws with a message that quotes the pattern and says what is wrong.
 */
function compileTagPattern(source) {
    const fail = (why) => {
        throw new Error(`"${source}" is not a pattern: ${why}`);
    };
    if (source.length === 0)
        fail('it is empty');
    if (source.startsWith('/'))
        return { source, regex: compileRegex(source, fail) };
    let body = '';
    for (let i = 0; i < source.length; i++) {
        const ch = source[i];
        if (ch === '*') {
            body += '[A-Za-z0-9_.-]*';
        }
        else if (ch === '{') {
            const end = source.indexOf('}', i);
            if (end < 0)
                fail(`"{" is not closed (known classes: ${KNOWN})`);
            const name = source.slice(i + 1, end);
            if (!Object.hasOwn(TAG_CLASSES, name))
                fail(`unknown class {${name}} (known: ${KNOWN})`);
            body += `(?:${TAG_CLASSES[name]})`;
            i = end;
        }
        else if (ch === '}') {
            fail('"}" without a "{"');
        }
        else if (TAG_CHAR.test(ch)) {
            body += ch === '.' ? '\\.' : ch;
        }
        else {
            fail(`"${ch}" cannot appear in a tag (tag characters are A-Z a-z 0-9 _ . -; write /regex/ for a regular expression)`);
        }
    }
    return { source, regex: new RegExp(`^${body}$`) };
}
function compileRegex(source, fail) {
    if (source.length < 3 || !source.endsWith('/')) {
        fail('a regular expression is written /.../ with nothing after the closing / (no flags)');
    }
    if (source.length > MAX_REGEX_LENGTH)
        fail(`a regular expression may be at most ${MAX_REGEX_LENGTH} characters`);
    const body = source.slice(1, -1);
    const risk = backtrackingRisk(body);
    if (risk)
        fail(risk);
    try {
        // The group keeps `a|b` anchored on both sides.
        return new RegExp(`^(?:${body})$`);
    }
    catch (e) {
        const why = e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
        return fail(`invalid regular expression: ${why}`);
    }
}
/**
 * Refuses the constructs that make a backtracking engine run for ages on a 128-character tag:
 * a quantified group that itself holds a quantifier (`(a+)+`) and backreferences. Coarse on
 * purpose: a policy regex only needs to describe a tag, and `*`/`{...}` patterns cover most.
 */
function backtrackingRisk(body) {
    const groups = [];
    let inClass = false;
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch === '\\') {
            if (!inClass && /[1-9k]/.test(body[i + 1] ?? ''))
                return 'backreferences are not supported';
            i++;
            continue;
        }
        if (inClass) {
            if (ch === ']')
                inClass = false;
            continue;
        }
        if (ch === '[') {
            inClass = true;
        }
        else if (ch === '(') {
            groups.push(false);
        }
        else if (ch === ')') {
            const quantifiedInside = groups.pop() ?? false;
            const next = body[i + 1] ?? '';
            const quantified = next === '*' || next === '+' || next === '{';
            if (quantifiedInside && quantified) {
                return 'a repeated group holds a repetition itself (like (a+)+), which can take exponential time; simplify it';
            }
            if ((quantifiedInside || quantified) && groups.length > 0)
                groups[groups.length - 1] = true;
        }
        else if ((ch === '*' || ch === '+' || ch === '{' || (ch === '?' && body[i - 1] !== '(')) && groups.length > 0) {
            groups[groups.length - 1] = true;
        }
    }
    return undefined;
}
/** The first pattern that matches the whole tag. */
function firstMatch(patterns, tag) {
    return patterns.find(p => p.regex.test(tag));
}

;// CONCATENATED MODULE: ./src/policy/size.ts
const UNITS = {
    B: 1,
    KB: 1000,
    MB: 1000 ** 2,
    GB: 1000 ** 3,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3
};
const SIZE = /^(\d+(?:\.\d+)?) ?([A-Za-z]+)$/;
const HOW = 'write a number and a unit: B, KB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 500MB';
/**
 * Bytes in a size such as `500MB`, `1.5GiB` or `300 KB`. A unit is required: a bare `500`
 * is more likely a forgotten `MB` than a 500-byte limit. Units are case-sensitive because
 * `mb` (millibits) and `Mb` (megabits) are not bytes.
 */
function parseSize(text) {
    const m = SIZE.exec(text.trim());
    if (!m || !Object.hasOwn(UNITS, m[2]))
        throw new Error(`"${text}" is not a size: ${HOW}`);
    return Math.round(Number(m[1]) * UNITS[m[2]]);
}
/** `bytes` in the unit `like` is written in (for a refusal next to the limit), one decimal. */
function formatSize(bytes, like) {
    const unit = SIZE.exec(like.trim())?.[2] ?? 'B';
    const factor = UNITS[unit] ?? 1;
    const value = bytes / factor;
    return `${Number.isInteger(value) ? value : value.toFixed(1)}${factor === 1 ? 'B' : unit}`;
}

;// CONCATENATED MODULE: ./src/policy/validate.ts



const TOP_KEYS = ['version', 'registries'];
const ENTRY_KEYS = ['match', 'immutable', 'tags', 'expires-after', 'require'];
const TAG_KEYS = ['allow', 'forbid'];
const SIGNATURE_KEYS = ['at', 'tags'];
const SIGNATURE_AT = ['source', 'promotion'];
const REQUIRE_KEYS = ['scan', 'signature', 'sbom', 'non-root', 'uids', 'labels', 'max-size'];
const SCAN_LIMITS = {
    'max-critical': 'CRITICAL',
    'max-high': 'HIGH',
    'max-medium': 'MEDIUM',
    'max-low': 'LOW',
    'max-unknown': 'UNKNOWN'
};
const SCAN_KEYS = [...Object.keys(SCAN_LIMITS), 'ignore-unfixed'];
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const EXPIRY = /^\d+[hdw]$/;
const MAX_UID = 4294967294;
/** `registries.production.tags.forbid[2]` */
function pathText(path) {
    return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
/** How a wrong value is shown in a message. */
function shown(value) {
    if (value === null || value === undefined)
        return 'nothing';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'string')
        return `"${value}"`;
    return String(value);
}
/**
 * Turns a parsed document into a Policy, refusing anything it does not understand: unknown
 * keys (a misspelt `imutable` would otherwise silently leave a registry mutable), wrong types,
 * out-of-range numbers, bad units and patterns, and two entries claiming the same prefix.
 */
function toPolicy(doc, file, fail, lineOf) {
    if (doc === null || doc === undefined)
        fail([], 'the file is empty; a policy needs "version: 1" and registries');
    const top = mapping([], doc, TOP_KEYS, fail, 'the policy must be a mapping with version and registries');
    if (top.version === undefined)
        fail([], 'version is missing; write "version: 1" (the format this action reads)');
    if (top.version !== 1)
        fail(['version'], `${shown(top.version)} is not supported; this action reads version 1`);
    if (top.registries === undefined)
        fail([], 'registries is missing; map environment names to their rules');
    const entries = mapping(['registries'], top.registries, undefined, fail, 'must map environment names to rules');
    if (Object.keys(entries).length === 0)
        fail(['registries'], 'must name at least one environment');
    const owners = new Map();
    const registries = {};
    for (const [name, raw] of Object.entries(entries)) {
        const at = ['registries', name];
        if (!ENV_NAME.test(name))
            fail(at, `"${name}" is not an environment name: use letters, digits, "-" and "_"`);
        const rule = toRule(at, raw, fail);
        rule.match.forEach((prefix, i) => {
            const here = Array.isArray(raw.match) ? [...at, 'match', i] : [...at, 'match'];
            const first = owners.get(prefix);
            if (first) {
                fail(here, `"${prefix}" is already a match of ${pathText(first.slice(0, 2))} (line ${lineOf(first)}); ` +
                    'each prefix must belong to one entry (the longest matching prefix decides)');
            }
            owners.set(prefix, here);
        });
        registries[name] = rule;
    }
    return { version: 1, file, registries };
}
function toRule(at, raw, fail) {
    const entry = mapping(at, raw, ENTRY_KEYS, fail, `must be a mapping (${ENTRY_KEYS.join(', ')})`);
    if (entry.match === undefined)
        fail(at, 'match is missing; give the image name prefix, e.g. quay.io/acme/');
    const immutable = bool([...at, 'immutable'], entry.immutable, false, fail);
    let expiresAfter;
    if (entry['expires-after'] !== undefined) {
        const path = [...at, 'expires-after'];
        const value = entry['expires-after'];
        if (typeof value !== 'string' || !EXPIRY.test(value) || /^0+[hdw]$/.test(value)) {
            fail(path, `must be a duration such as 12h, 7d or 2w (quay.expires-after), got ${shown(value)}`);
        }
        if (immutable) {
            fail(path, 'an immutable registry keeps its tags, and quay.expires-after would delete them; drop one of the two');
        }
        expiresAfter = value;
    }
    return {
        match: matchList([...at, 'match'], entry.match, fail),
        immutable,
        tags: tagRules([...at, 'tags'], entry.tags, fail),
        ...(expiresAfter === undefined ? {} : { expiresAfter }),
        require: requirements([...at, 'require'], entry.require, fail)
    };
}
function matchList(at, raw, fail) {
    const items = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(items) || items.length === 0) {
        fail(at, `must be an image name prefix or a list of them, got ${shown(raw)}`);
    }
    return items.map((item, i) => {
        const path = typeof raw === 'string' ? at : [...at, i];
        if (typeof item !== 'string' || item.trim() === '') {
            fail(path, `must be an image name prefix such as quay.io/acme/, got ${shown(item)}`);
        }
        const prefix = item.trim().toLowerCase();
        if (/\s|@/.test(prefix))
            fail(path, `"${item}" is not an image name prefix (no spaces or digests)`);
        const host = prefix.split('/')[0];
        if (!(host.includes('.') || host.includes(':') || host === 'localhost')) {
            fail(path, `"${item}" must begin with a registry host (e.g. docker.io/${prefix}): ` +
                'prefixes are compared with the full image name');
        }
        return canonicalPrefix(prefix, why => fail(path, `"${item}": ${why}`));
    });
}
function tagRules(at, raw, fail) {
    if (raw === undefined)
        return { forbid: [] };
    const tags = mapping(at, raw, TAG_KEYS, fail, 'must be a mapping with allow and/or forbid');
    const rules = { forbid: patterns([...at, 'forbid'], tags.forbid, fail) };
    if (tags.allow !== undefined) {
        const allow = patterns([...at, 'allow'], tags.allow, fail);
        if (allow.length === 0)
            fail([...at, 'allow'], 'an empty allow list refuses every tag; leave allow out to allow any');
        rules.allow = allow;
    }
    return rules;
}
function patterns(at, raw, fail) {
    if (raw === undefined || raw === null)
        return [];
    // Unquoted, `{sha}` is a YAML mapping: say so rather than only "got a mapping".
    const hint = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
        ? ` (quote patterns that begin with "{", e.g. '{sha}')`
        : '';
    if (!Array.isArray(raw))
        fail(at, `must be a list of tag patterns, got ${shown(raw)}${hint(raw)}`);
    return raw.map((item, i) => {
        if (typeof item !== 'string')
            fail([...at, i], `must be a tag pattern string, got ${shown(item)}${hint(item)}`);
        try {
            return compileTagPattern(item);
        }
        catch (e) {
            return fail([...at, i], e.message);
        }
    });
}
function requirements(at, raw, fail) {
    const req = raw === undefined ? {} : mapping(at, raw, REQUIRE_KEYS, fail, 'must be a mapping of requirements');
    const result = {
        ...signature([...at, 'signature'], req.signature, fail),
        sbom: bool([...at, 'sbom'], req.sbom, false, fail),
        nonRoot: bool([...at, 'non-root'], req['non-root'], false, fail),
        labels: labels([...at, 'labels'], req.labels, fail)
    };
    if (req.scan !== undefined)
        result.scan = scan([...at, 'scan'], req.scan, fail);
    if (req.uids !== undefined)
        result.uids = uids([...at, 'uids'], req.uids, fail);
    if (req['max-size'] !== undefined) {
        const path = [...at, 'max-size'];
        const value = req['max-size'];
        if (typeof value !== 'string')
            fail(path, `must be a size with a unit, e.g. 500MB, got ${shown(value)}`);
        let bytes = 0;
        try {
            bytes = parseSize(value);
        }
        catch (e) {
            fail(path, e.message);
        }
        if (bytes <= 0)
            fail(path, `must be more than 0, got "${value}"`);
        result.maxSize = { bytes, text: value };
    }
    return result;
}
/** `signature: true|false`, or `{at: source|promotion, tags: [patterns]}` (a signature is then required). */
function signature(at, raw, fail) {
    if (raw === undefined || typeof raw === 'boolean')
        return { signature: raw ?? false };
    const body = mapping(at, raw, SIGNATURE_KEYS, fail, 'must be true, false or a mapping (at, tags)');
    const out = { signature: true };
    if (body.at !== undefined) {
        if (typeof body.at !== 'string' || !SIGNATURE_AT.includes(body.at)) {
            fail([...at, 'at'], `must be ${SIGNATURE_AT.join(' or ')}, got ${shown(body.at)}`);
        }
        out.signatureAt = body.at;
    }
    if (body.tags !== undefined) {
        const tags = patterns([...at, 'tags'], body.tags, fail);
        if (tags.length === 0)
            fail([...at, 'tags'], 'an empty list requires no signature; use signature: false');
        out.signatureTags = tags;
    }
    return out;
}
function scan(at, raw, fail) {
    const body = mapping(at, raw, SCAN_KEYS, fail, `must be a mapping (${SCAN_KEYS.join(', ')})`);
    const max = {};
    for (const [key, severity] of Object.entries(SCAN_LIMITS)) {
        const value = body[key];
        if (value === undefined)
            continue;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            fail([...at, key], `must be a whole number of findings, 0 or more, got ${shown(value)}`);
        }
        max[severity] = value;
    }
    if (Object.keys(max).length === 0) {
        fail(at, `name at least one of ${Object.keys(SCAN_LIMITS).join(', ')} (e.g. max-critical: 0)`);
    }
    return { max, ignoreUnfixed: bool([...at, 'ignore-unfixed'], body['ignore-unfixed'], false, fail) };
}
function uids(at, raw, fail) {
    if (!Array.isArray(raw) || raw.length === 0)
        fail(at, `must be a list of uids such as [1001], got ${shown(raw)}`);
    return raw.map((item, i) => {
        if (item === 0)
            fail([...at, i], '0 is root; list the non-root uids the image may run as');
        if (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > MAX_UID) {
            fail([...at, i], `must be a uid from 1 to ${MAX_UID}, got ${shown(item)}`);
        }
        return item;
    });
}
function labels(at, raw, fail) {
    if (raw === undefined)
        return [];
    if (!Array.isArray(raw))
        fail(at, `must be a list of label keys, got ${shown(raw)}`);
    return raw.map((item, i) => {
        if (typeof item !== 'string' || !/^[^\s=]+$/.test(item)) {
            fail([...at, i], `must be a label key such as org.opencontainers.image.source, got ${shown(item)}`);
        }
        return item;
    });
}
function bool(at, raw, fallback, fail) {
    if (raw === undefined)
        return fallback;
    if (typeof raw !== 'boolean')
        fail(at, `must be true or false, got ${shown(raw)}`);
    return raw;
}
/** A plain mapping whose keys are all in `allowed` (any key when `allowed` is undefined). */
function mapping(at, raw, allowed, fail, expected) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        fail(at, `${expected}, got ${shown(raw)}`);
    const body = raw;
    if (allowed) {
        for (const key of Object.keys(body)) {
            if (allowed.includes(key))
                continue;
            const near = allowed.find(a => distance(a, key) <= Math.max(2, Math.floor(a.length / 3)));
            const guess = near ? `; did you mean "${near}"?` : '';
            fail([...at, key], `unknown key${guess} (allowed: ${allowed.join(', ')})`);
        }
    }
    return body;
}
/** Edit distance, for "did you mean" on a misspelt key. */
function distance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}

;// CONCATENATED MODULE: ./src/policy/load.ts





/** Where the action looks when the `policy` input is empty. */
const DEFAULT_POLICY_PATH = '.github/image-publish-policy.yml';
/** A policy file that cannot be used: `<file>:<line>: <rule>: <what is wrong>`. */
class PolicyError extends Error {
    file;
    line;
    /** The setting at fault (`registries.production.tags.forbid[2]`), `YAML syntax`, or `''` for the document. */
    rule;
    constructor(file, line, rule, what) {
        // A key can be as long as the file: the setting's name is bounded like a quote.
        const name = rule.length > 2 * MAX_QUOTE ? `${rule.slice(0, 2 * MAX_QUOTE)}…` : rule;
        super(`${file}${line === undefined ? '' : `:${line}`}: ${name ? `${name}: ` : ''}${load_excerpt(what)}`);
        this.name = 'PolicyError';
        this.file = file;
        this.line = line;
        this.rule = rule;
    }
}
/** Largest policy file read (a real one is a few kilobytes). */
const MAX_POLICY_BYTES = 1024 * 1024;
/** Longest quoted value a refusal shows; beyond it, the quote ends in "…". */
const MAX_QUOTE = 80;
/**
 * A refusal quotes the offending value, and the value comes from a file that may not be a policy at
 * all (a credentials file, /etc/passwd, a 2 MB string): each quoted part keeps its first line and at
 * most MAX_QUOTE characters, so a message never carries a document.
 */
function load_excerpt(what) {
    const short = (q) => {
        const first = q.split(/\r\n|\r|\n/, 1)[0];
        return first.length > MAX_QUOTE || first.length < q.length ? `${first.slice(0, MAX_QUOTE)}…` : q;
    };
    const quoted = what.replace(/"([^"]*)"/g, (_m, q) => `"${short(q)}"`);
    // What is left unquoted (an unbalanced quote, a reason) is bounded too.
    const first = quoted.split(/\r\n|\r|\n/, 1)[0];
    return first.length > 4 * MAX_QUOTE ? `${first.slice(0, 4 * MAX_QUOTE)}…` : first;
}
/** Parses and checks a policy; every refusal is a PolicyError naming the file, the line and the setting. */
function parsePolicy(text, file) {
    // js-yaml drops a BOM itself, which would shift every offset the locator records.
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    let located;
    try {
        located = loadLocated(body, file);
    }
    catch (e) {
        if (!(e instanceof js_yaml/* default.YAMLException */.Ay.YAMLException))
            throw e;
        // An unquoted `*` or `{` starts an alias or a flow mapping, not a tag pattern.
        const hint = /alias/.test(e.reason) ? ` (quote tag patterns that begin with "*" or "{")` : '';
        // js-yaml marks every error but "more than one document".
        if (!e.mark)
            throw new PolicyError(file, secondDocumentLine(body), 'YAML syntax', `${e.reason}${hint}`);
        throw new PolicyError(file, e.mark.line + 1, 'YAML syntax', `${e.reason} (column ${e.mark.column + 1})${hint}`);
    }
    const root = located.value;
    if (root !== null && root !== undefined && (typeof root !== 'object' || Array.isArray(root))) {
        // Say what the document is, not what it holds: a file that is not a policy is not quoted.
        const kind = Array.isArray(root)
            ? 'a list'
            : typeof root === 'string'
                ? 'text (not shown: is this a policy file?)'
                : `a ${typeof root}`;
        throw new PolicyError(file, located.lineOf([]), '', `the policy must be a mapping with version and registries, got ${kind}`);
    }
    const fail = (path, what) => {
        throw new PolicyError(file, located.lineOf(path), pathText(path), what);
    };
    const long = longKey(root, []);
    if (long)
        fail(long, `a key of ${String(long[long.length - 1]).length} characters is not a policy setting`);
    return toPolicy(located.value, file, fail, located.lineOf);
}
// No setting name is near this long; checking first keeps "did you mean" from comparing megabytes.
const MAX_KEY = 200;
function longKey(value, at) {
    if (value === null || typeof value !== 'object')
        return undefined;
    const entries = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
    for (const [k, v] of entries) {
        if (typeof k === 'string' && k.length > MAX_KEY)
            return [...at, k];
        const found = longKey(v, [...at, k]);
        if (found)
            return found;
    }
    return undefined;
}
/** The `---` that starts a second document: the first one after any content. */
function secondDocumentLine(text) {
    const lines = text.split('\n');
    let content = false;
    for (let i = 0; i < lines.length; i++) {
        if (content && /^---(\s|$)/.test(lines[i]))
            return i + 1;
        if (!/^\s*(#.*)?$|^---(\s|$)|^%/.test(lines[i]))
            content = true;
    }
    return undefined;
}
/** The workspace policy paths are confined to: GITHUB_WORKSPACE, else the working directory. */
function workspaceRoot(env = process.env) {
    return env.GITHUB_WORKSPACE || process.cwd();
}
/**
 * Refuses a policy path that resolves, symlinks followed, outside the workspace: a checked-in
 * `.github/image-publish-policy.yml` linked to ~/.docker/config.json, or `../../etc/passwd`, must
 * not be read (a refusal quotes the file). A path the `policy` input gives as absolute is the
 * workflow's explicit choice and is read wherever it is. A missing file resolves as far as it exists.
 */
function confine(file, explicit, workspace) {
    if (explicit && external_node_path_.isAbsolute(file))
        return;
    let root;
    try {
        root = external_node_fs_.realpathSync(workspace);
    }
    catch {
        root = external_node_path_.resolve(workspace);
    }
    let real;
    try {
        real = external_node_fs_.realpathSync(file);
    }
    catch {
        // Missing (or unreadable): the lexical path is what readFileSync would try.
        real = external_node_path_.resolve(file);
    }
    const rel = external_node_path_.relative(root, real);
    if (rel === '..' || rel.startsWith(`..${external_node_path_.sep}`) || external_node_path_.isAbsolute(rel)) {
        throw new PolicyError(file, undefined, 'input "policy"', `resolves outside the workspace ${root}${real === external_node_path_.resolve(file) ? '' : ' (through a symlink)'}: ` +
            'keep the policy in the repository, or give an absolute path');
    }
}
/**
 * Reads the policy at `path`. A missing file is fine when nobody asked for it (the default
 * location, `required` false: no policy, undefined) and an error when the `policy` input named it.
 * The path must stay inside `workspace` unless the input gave it as absolute.
 */
function readPolicyFile(file, required, workspace = workspaceRoot()) {
    confine(file, required, workspace);
    let text;
    try {
        const st = external_node_fs_.statSync(file);
        // A FIFO or device (/dev/zero) would never end; a policy of more than a megabyte is not one.
        if (st.isFile() && st.size > MAX_POLICY_BYTES) {
            throw new PolicyError(file, undefined, 'read', `the file is ${st.size} bytes; a policy is at most ${MAX_POLICY_BYTES}`);
        }
        if (!st.isFile() && !st.isDirectory())
            throw new PolicyError(file, undefined, 'read', 'not a regular file');
        text = external_node_fs_.readFileSync(file, 'utf8');
    }
    catch (e) {
        if (e instanceof PolicyError)
            throw e;
        const code = e.code;
        if (code === 'ENOENT' && !required)
            return undefined;
        if (code === 'ENOENT')
            throw new PolicyError(file, undefined, 'input "policy"', 'the file does not exist');
        throw new PolicyError(file, undefined, 'read', e.message);
    }
    return parsePolicy(text, file);
}

;// CONCATENATED MODULE: ./src/secrets.ts


/*
 * One place that decides what a secret looks like once it has been transformed, so a log line, an
 * error or the summary cannot carry a secret the runner does not mask. The runner masks exact
 * strings only; it is told about every form we (or a tool) could print.
 */
// Pieces shorter than this are not masked on their own: masking "ab" would blank out every word
// holding it. Whole values are masked at any length.
const MIN_PIECE = 6;
/**
 * The stable inside of base64(x) when x sits at byte offset 0, 1 or 2 of a longer encoded text
 * (a docker `auth` holds base64("user:" + password)): the characters that depend on x alone.
 */
function base64Inner(value, url) {
    const out = [];
    for (let shift = 0; shift < 3; shift++) {
        const enc = Buffer.concat([Buffer.alloc(shift), value]).toString(url ? 'base64url' : 'base64');
        const from = Math.ceil((8 * shift) / 6);
        const to = Math.floor((8 * (shift + value.length)) / 6);
        out.push(enc.slice(from, to));
    }
    // The whole encoding as written on its own, padding included.
    out.push(value.toString(url ? 'base64url' : 'base64'));
    return out;
}
/** Every form of one secret value worth masking: itself, each line, base64/base64url, JSON- and URL-escaped. */
function secretForms(value) {
    if (value.trim() === '')
        return [];
    const forms = new Set([value, value.trim()]);
    const lines = value.split(/\r\n|\r|\n/).map(l => l.trim());
    for (const l of lines)
        if (l.length >= MIN_PIECE)
            forms.add(l);
    for (const v of [value, value.trim(), ...lines.filter(l => l.length >= MIN_PIECE)]) {
        const bytes = Buffer.from(v, 'utf8');
        for (const url of [false, true])
            for (const f of base64Inner(bytes, url))
                if (f.length >= MIN_PIECE)
                    forms.add(f);
        forms.add(JSON.stringify(v).slice(1, -1));
        forms.add(encodeURIComponent(v));
    }
    return [...forms].filter(f => f === value.trim() || f.length >= MIN_PIECE || f === value);
}
/** Masks a value and every form of it; `setSecret` is injected by tests. */
function maskSecret(value, setSecret = commands/* setSecret */.Pq) {
    for (const f of secretForms(value))
        if (f !== '')
            setSecret(f);
}
// A key file larger than this is not a key; its content is not read into memory to be masked.
const MAX_KEY_FILE = 64 * 1024;
/**
 * A value that may name a file holding a secret (cosign-key as a path): the value is masked, and
 * so is the file's content when it is a small readable file. A KMS URI or PEM content is masked as is.
 */
function maskSecretOrFile(value, setSecret = commands/* setSecret */.Pq) {
    maskSecret(value, setSecret);
    const file = value.trim();
    if (file === '' || /\n|-----BEGIN|^[a-z][a-z0-9+.-]*:\/\//i.test(file))
        return;
    try {
        const st = external_node_fs_.statSync(file);
        if (st.isFile() && st.size <= MAX_KEY_FILE)
            maskSecret(external_node_fs_.readFileSync(file, 'utf8'), setSecret);
    }
    catch {
        // Not a readable file: the value alone is what can be printed.
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(62088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/tools/versions.ts
// Pinned tool versions, where their release assets live and the SHA-256 of each asset we trust.

const GITHUB_BASE = 'https://github.com';
const OS = { linux: 'linux', darwin: 'darwin' };
const ARCH = { x64: 'amd64', arm64: 'arm64' };
/** Maps Node's platform/arch to the Go names release assets use; other hosts have no assets we pin. */
function hostPlatform(platform = process.platform, arch = process.arch) {
    const os = OS[platform];
    const goArch = ARCH[arch];
    if (!os || !goArch)
        throw new Error(`no cosign/trivy release assets for ${platform}/${arch} (supported: linux, darwin on x64, arm64)`);
    return { os, arch: goArch };
}
/** `3.1.2` / `v3.1.2` → `v3.1.2`; anything but an exact version throws, since checksums pin exact files. */
function normalizeVersion(tool, version) {
    const v = version.trim();
    if (v === '')
        return tool.defaultVersion;
    const clean = semver.valid(semver.clean(v) ?? '');
    if (!clean)
        throw new Error(`${tool.name} version "${version}" is not an exact version like ${tool.defaultVersion}`);
    return `v${clean}`;
}
/** Mirrors (GHES, an internal cache) keep GitHub's release path layout under another base. */
function withDownloadBase(url, downloadBase) {
    if (!downloadBase || !url.startsWith(GITHUB_BASE + '/'))
        return url;
    return downloadBase.replace(/\/+$/, '') + url.slice(GITHUB_BASE.length);
}
const versions_firstMatch = (re, out) => re.exec(out)?.[1];
// Not recomputed here (no network): each sum is the published SHA-256 of the GitHub release asset, pinned
// identically by several independent public projects. Sources are files in the public code index used to
// write this (repository names not shown by it; `read_file id=<n>` reopens them).
const COSIGN_SHA256 = {
    // linux: a `class Cosign < Formula` v3.1.2 formula (57115420982), an installer saying "taken from that
    // release's cosign_checksums.txt" (58326905925), a Dockerfile (59655288417), a bootstrap script (61234109323).
    'v3.1.2/linux-amd64': 'f7622ed3cf22e55e1ae6377c080979ff77a22da9981c11df222a2e444991e7cf',
    'v3.1.2/linux-arm64': '90e7ae0b5dfd60f20816b52c012addf7fc055ebcc7bea4ce81c428ca8518c302',
    // darwin: the same formula (57115420982) and bootstrap script (61234109323).
    'v3.1.2/darwin-amd64': 'acd180f8b015be25240ca33abee8a1e564eb65cdf1a3cee4725456d2dceb7da6',
    'v3.1.2/darwin-arm64': 'dec1c3f802320b19c2fbcf2dc7bcfb3f258e1c181a046c23a1a074bdf932f10a'
};
const TRIVY_SHA256 = {
    // All four: a Bazel trivy toolchain (59727220386) and a JSON tool manifest (71631984018). Also Linux-64bit:
    // a script citing "Official GitHub release asset SHA256 values" (68438715008); Linux-ARM64: a note saying
    // it was "re-verified by downloading and hashing" (71380743657).
    'v0.74.0/linux-amd64': '2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a',
    'v0.74.0/linux-arm64': 'b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5',
    'v0.74.0/darwin-amd64': '472816f6888dda689d075c30254d4210b4d1035acf365aa72332f584c2f60485',
    'v0.74.0/darwin-arm64': '1caada5e0e2091909357c7525d3aa76f4b660b13821bc143b190c7483e31cc11'
};
const TRIVY_OS = { linux: 'Linux', darwin: 'macOS' };
const TRIVY_ARCH = { amd64: '64bit', arm64: 'ARM64' };
function lookup(table, key, what) {
    const v = table[key];
    if (!v)
        throw new Error(`no trivy release asset for ${what} "${key}"`);
    return v;
}
const TOOLS = {
    cosign: {
        name: 'cosign',
        defaultVersion: 'v3.1.2',
        url: (version, os, arch) => `${GITHUB_BASE}/sigstore/cosign/releases/download/${version}/cosign-${os}-${arch}`,
        archive: 'none',
        versionArgs: ['version'],
        // `cosign version` prints an ASCII-art banner first; GitVersion is the release tag.
        parseVersion: out => versions_firstMatch(/^GitVersion:\s*(\S+)/m, out),
        sha256: COSIGN_SHA256
    },
    trivy: {
        name: 'trivy',
        defaultVersion: 'v0.74.0',
        // Trivy's asset names drop the tag's `v` and use their own OS/arch spelling.
        url: (version, os, arch) => `${GITHUB_BASE}/aquasecurity/trivy/releases/download/${version}/trivy_${version.replace(/^v/, '')}_` +
            `${lookup(TRIVY_OS, os, 'os')}-${lookup(TRIVY_ARCH, arch, 'arch')}.tar.gz`,
        archive: 'tar.gz',
        binaryInArchive: 'trivy',
        versionArgs: ['--version'],
        // The first, unindented `Version:` is trivy's; the DB's own `Version:` follows, indented.
        parseVersion: out => versions_firstMatch(/^Version:\s*(\S+)/m, out),
        sha256: TRIVY_SHA256
    }
};
/** Versions as tools print them (`v3.1.2`, `0.74.0`) compare equal when semver-equal. */
function sameVersion(a, b) {
    const ca = semver.clean(a);
    const cb = semver.clean(b);
    return ca !== null && cb !== null && semver.eq(ca, cb);
}

;// CONCATENATED MODULE: ./src/tools/checksum.ts
// SHA-256 of downloads, and the user's own sums for tool versions we pin none for.




/** Streams the file: release binaries are 100+ MB. */
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,promises_.pipeline)((0,external_node_fs_.createReadStream)(path), hash);
    return hash.digest('hex');
}
const SHA256_RE = /^[0-9a-f]{64}$/;
/**
 * Parses lines `cosign=<64 hex>` / `trivy=<64 hex>` (blank lines and `#` comments skipped; an optional
 * `sha256:` prefix is accepted because that is how digests are often copied).
 */
function parseChecksumInput(text, inputName) {
    const sums = {};
    text.split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const where = `Input "${inputName}" line ${i + 1}`;
        const eq = line.indexOf('=');
        if (eq < 0)
            throw new Error(`${where}: expected "<tool>=<sha256>", got "${line}"`);
        const tool = line.slice(0, eq).trim();
        const sum = line
            .slice(eq + 1)
            .trim()
            .toLowerCase()
            .replace(/^sha256:/, '');
        if (!Object.hasOwn(TOOLS, tool)) {
            throw new Error(`${where}: unknown tool "${tool}" (known: ${Object.keys(TOOLS).join(', ')})`);
        }
        if (!SHA256_RE.test(sum))
            throw new Error(`${where}: ${tool} sum is not 64 hex digits`);
        if (sums[tool] !== undefined)
            throw new Error(`${where}: ${tool} is listed twice`);
        sums[tool] = sum;
    });
    return sums;
}

;// CONCATENATED MODULE: ./src/inputs.ts






const ENGINES = ['buildx', 'podman', 'buildah'];
const MODES = ['publish', 'build', 'merge', 'promote'];
/** Every input, parsed and checked. Pure given the getter, so tests feed it a plain map. */
function readInputs(get) {
    const list = (name) => parseList(get(name), { ignoreComma: true, comment: '#', quote: false });
    const bool = (name) => {
        const raw = get(name);
        if (raw === '')
            return false;
        if (/^(true|True|TRUE)$/.test(raw))
            return true;
        if (/^(false|False|FALSE)$/.test(raw))
            return false;
        throw new Error(`Input "${name}" must be true or false, got "${raw}"`);
    };
    const engine = get('engine') || 'buildx';
    if (!ENGINES.includes(engine)) {
        throw new Error(`Input "engine" must be one of ${ENGINES.join(', ')}, got "${engine}"`);
    }
    const driver = get('builder-driver') || 'docker-container';
    if (!['docker-container', 'remote', 'docker', 'kubernetes'].includes(driver)) {
        throw new Error(`Input "builder-driver" must be docker-container, remote, docker or kubernetes, got "${driver}"`);
    }
    const mode = get('mode') || 'publish';
    if (!MODES.includes(mode)) {
        throw new Error(`Input "mode" must be one of ${MODES.join(', ')}, got "${mode}"`);
    }
    const sbomFormat = get('sbom-format') || 'spdx-json';
    if (!['spdx-json', 'cyclonedx', 'none'].includes(sbomFormat)) {
        throw new Error(`Input "sbom-format" must be spdx-json, cyclonedx or none, got "${sbomFormat}"`);
    }
    const count = (name) => {
        const raw = get(name);
        if (raw === '')
            return undefined;
        if (!/^\d+$/.test(raw))
            throw new Error(`Input "${name}" must be a whole number of findings (0 or more), got "${raw}"`);
        return Number(raw);
    };
    const maxima = [
        ['CRITICAL', count('max-critical')],
        ['HIGH', count('max-high')],
        ['MEDIUM', count('max-medium')],
        ['LOW', count('max-low')],
        ['UNKNOWN', count('max-unknown')]
    ];
    const scanMax = {};
    for (const [sev, n] of maxima)
        if (n !== undefined)
            scanMax[sev] = n;
    const lines = (name) => parseList(get(name), { ignoreComma: false, comment: '#' });
    if (driver === 'remote' && !get('builder-endpoint') && !get('builder')) {
        throw new Error('Input "builder-endpoint" is required with builder-driver: remote (e.g. unix:///run/buildkit/buildkitd.sock)');
    }
    // Registry names the tools and our client use as they are: host[:port], nothing else.
    const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
    const host = (name, value) => {
        if (value !== '' && !HOST.test(value)) {
            throw new Error(`Input "${name}": "${value.slice(0, 80)}" is not a registry host[:port] (e.g. quay.io, 127.0.0.1:5000)`);
        }
        return value;
    };
    host('registry', get('registry'));
    for (const r of parseList(get('insecure-registries'), { ignoreComma: false, comment: '#' }))
        host('insecure-registries', r);
    const isolation = get('isolation');
    if (!['', 'chroot', 'oci', 'rootless'].includes(isolation)) {
        throw new Error(`Input "isolation" must be chroot, oci or rootless (buildah/podman), got "${isolation.slice(0, 40)}"`);
    }
    return {
        images: list('images'),
        tags: list('tags'),
        flavor: list('flavor'),
        labels: list('labels'),
        annotations: list('annotations'),
        sepTags: get('sep-tags', false) || '\n',
        sepLabels: get('sep-labels', false) || '\n',
        sepAnnotations: get('sep-annotations', false) || '\n',
        tagPreset: get('tag-preset'),
        tagPrefix: get('tag-prefix'),
        version: get('version'),
        customTag: get('custom-tag'),
        archTags: bool('arch-tags'),
        platforms: parseList(get('platforms'), { ignoreComma: false, comment: '#' }),
        context: get('context') || '.',
        file: get('file'),
        target: get('target'),
        buildArgs: list('build-args'),
        autoBuildArgs: get('auto-build-args') === '' ? 'auto' : bool('auto-build-args') ? 'true' : 'false',
        autoLabels: get('auto-labels') === '' ? true : bool('auto-labels'),
        autoAnnotations: get('auto-annotations') === '' ? true : bool('auto-annotations'),
        engine: engine,
        dryRun: bool('dry-run'),
        push: get('push') === '' ? true : bool('push'),
        load: bool('load'),
        githubToken: get('github-token'),
        builder: get('builder'),
        builderDriver: driver,
        builderEndpoint: get('builder-endpoint'),
        builderDriverOpts: list('builder-driver-opts'),
        buildkitdConfig: get('buildkitd-config'),
        keepBuilder: bool('keep-builder'),
        binfmtImage: get('binfmt-image') || 'docker.io/tonistiigi/binfmt:latest',
        registryAuth: get('registry-auth'),
        registry: get('registry'),
        username: get('username'),
        // Used as given (a secret may end in a space); only the line break a YAML `|` block adds goes.
        password: get('password', false).replace(/\r?\n$/, ''),
        insecureRegistries: parseList(get('insecure-registries'), { ignoreComma: false, comment: '#' }),
        secrets: list('secrets'),
        cacheFrom: list('cache-from'),
        cacheTo: list('cache-to'),
        outputs: list('outputs'),
        provenance: get('provenance'),
        sbom: get('sbom'),
        pull: bool('pull'),
        noCache: bool('no-cache'),
        engineFlags: parseList(get('engine-flags'), { ignoreComma: false, comment: '#' })
            .flatMap(f => f.split(/\s+/))
            .filter(Boolean),
        isolation: get('isolation'),
        mode: mode,
        policy: get('policy') || DEFAULT_POLICY_PATH,
        policyGiven: get('policy') !== '',
        source: get('source'),
        digests: lines('digests'),
        resign: bool('resign'),
        scan: bool('scan'),
        scanFailOn: get('fail-on'),
        scanMax,
        scanIgnoreUnfixed: bool('ignore-unfixed'),
        scanIgnoreFile: get('trivyignore'),
        trivyDbRepositories: lines('trivy-db-repository'),
        trivyCacheDir: get('trivy-cache-dir'),
        sbomFormat: sbomFormat,
        reportDir: get('report-dir'),
        releaseAssets: bool('release-assets'),
        cosignKey: get('cosign-key'),
        cosignPassword: get('cosign-password'),
        cosignPublicKey: get('cosign-public-key'),
        keyless: bool('keyless'),
        signRecursive: get('sign-recursive') === '' ? true : bool('sign-recursive'),
        tlogUpload: get('tlog-upload') === '' ? true : bool('tlog-upload'),
        signatureFormat: get('signature-format'),
        certificateIdentity: get('certificate-identity'),
        certificateOidcIssuer: get('certificate-oidc-issuer'),
        trivyVersion: get('trivy-version'),
        cosignVersion: get('cosign-version'),
        toolChecksums: parseChecksumInput(get('tool-checksums'), 'tool-checksums'),
        toolsDownloadBase: get('tools-download-base')
    };
}
/** Inputs that hold secrets, and how each is masked (the value, its forms, what it names). */
const SECRET_INPUTS = [
    ['github-token', v => maskSecret(v)],
    ['cosign-password', v => maskSecret(v)],
    ['password', v => maskSecret(v.replace(/\r?\n$/, ''))],
    // PEM content, base64 of a key, a file path (then its content too) or a KMS URI: all masked.
    ['cosign-key', v => maskSecretOrFile(v)],
    [
        'registry-auth',
        v => {
            for (const c of registryAuthPasswords(v)) {
                maskSecret(c.password);
                if (c.username)
                    maskSecret(`${c.username}:${c.password}`);
            }
        }
    ]
];
function getInputs() {
    const raw = (name, trim = true) => (0,commands/* getInput */.V4)(name, { trimWhitespace: trim });
    // Masked before any input is parsed: a parse error or a later log line cannot show them.
    for (const [name, mask] of SECRET_INPUTS) {
        const value = raw(name, false);
        if (value.trim() !== '')
            mask(value);
    }
    const inputs = readInputs(raw);
    const single = inputs.username && inputs.password ? `${inputs.username}:${inputs.password}` : '';
    if (single)
        maskSecret(single);
    return inputs;
}

;// CONCATENATED MODULE: ./src/report/outputs.ts
/** Output name → value, for everything a dry run knows. Names and formats follow metadata-action. */
function planOutputs(plan, sep) {
    const meta = plan.meta;
    return {
        version: meta.version.main ?? '',
        tags: meta.tags.join(sep.tags),
        'tag-names': meta.tagNames.join(sep.tags),
        labels: meta.labels.join(sep.labels),
        annotations: meta.annotations.join(sep.annotations),
        json: JSON.stringify(meta.json),
        'build-args': Object.entries(plan.buildArgs)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
        platforms: plan.platforms.join(','),
        // A build run makes no tag: its refs are the merge run's plan (listed in the plan output).
        refs: plan.mode === 'build' ? '' : plan.refs.join('\n'),
        plan: JSON.stringify({
            engine: plan.engine,
            platforms: plan.platforms,
            images: plan.images.map(i => ({ name: i.name, registry: i.registry, tags: i.tags, archTags: i.archTags })),
            refs: plan.refs,
            buildArgs: plan.buildArgs,
            steps: plan.steps
        })
    };
}
/**
 * DOCKER_METADATA_SET_OUTPUT_ENV as metadata-action (>= 5.7) reads it: unset or empty means on,
 * otherwise Go-style booleans (1/t/T/true/TRUE/True, 0/f/F/false/FALSE/False) and anything else is an error.
 */
function outputEnvEnabled(value) {
    if (!value)
        return true;
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value))
        return true;
    if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value))
        return false;
    throw new Error(`DOCKER_METADATA_SET_OUTPUT_ENV must be true or false (1, t, T, true, TRUE, True / 0, f, F, false, FALSE, False), got "${value}"`);
}
/** metadata-action also exports each output as DOCKER_METADATA_OUTPUT_<NAME> unless told not to. */
function outputEnvName(name) {
    return `DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`;
}
/** The metadata-action outputs mirrored to env; image-publish's own outputs are not. */
const METADATA_OUTPUTS = ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json'];

;// CONCATENATED MODULE: ./src/meta/presets.ts
const PRESETS = {
    // ADR-003 (Quay): vX.Y.Z releases, latest only for a final release ("Latest release: latest", so
    // latest=highest: a patch of an older line leaves latest on the newer one), edge for the default branch.
    'semver-release': {
        description: 'vX.Y.Z on release tags, latest for the highest final release, edge on the default branch',
        tags: ['type=semver,pattern={{version}},prefix=v', 'type=edge'],
        flavor: ['latest=highest']
    },
    // The GHCR multi-service guide: branch, pr-N, v1.2.3 + 1.2.3 + 1.2 + 1, short SHA, latest on main
    // ("Latest Stable Version"); a release tag takes latest only when it is the highest release.
    'ghcr-standard': {
        description: 'branch, pr-N, vX.Y.Z, X.Y.Z, X.Y, X, short SHA, latest on the default branch and the highest final release',
        tags: [
            'type=ref,event=branch',
            'type=ref,event=pr',
            'type=semver,pattern={{version}},prefix=v',
            'type=semver,pattern={{version}}',
            'type=semver,pattern={{major}}.{{minor}}',
            'type=semver,pattern={{major}}',
            'type=sha,prefix=,format=short',
            'type=raw,value=latest,enable={{is_default_branch}}'
        ],
        flavor: ['latest=highest']
    },
    // DD-REGISTRY-001 development registry: latest/dev on the default branch, branch names
    // (feature/x becomes feature-x), <branch>-<sha>, short SHA, test-<date> on schedules, pr-N.
    development: {
        description: 'latest and dev on the default branch, branch names, pr-N, <branch>-<sha>, short SHA, test-<date> on schedules',
        tags: [
            'type=raw,value=latest,enable={{is_default_branch}}',
            'type=raw,value=dev,enable={{is_default_branch}}',
            'type=ref,event=branch',
            'type=ref,event=pr',
            "type=schedule,pattern=test-{{date 'YYYYMMDD'}}",
            'type=sha,prefix={{branch}}-,format=short',
            'type=sha,prefix=,format=short'
        ],
        flavor: ['latest=false']
    },
    // DD-REGISTRY-001 staging: release candidates only (vX.Y.Z-rcN), never latest.
    staging: {
        description: 'vX.Y.Z-rcN (and -betaN) pre-release tags only, never latest',
        // metadata-action has no "pre-release only" switch; a match rule on the tag expresses it.
        tags: ['type=match,pattern=^v?(\\d+\\.\\d+\\.\\d+-(rc|beta|alpha)\\.?\\d+)$,group=1,prefix=v'],
        flavor: ['latest=false']
    },
    // DD-REGISTRY-001 production: final vX.Y.Z only; no latest, no SHA, no branch.
    production: {
        description: 'final vX.Y.Z releases only, never latest',
        tags: ['type=match,pattern=^v?(\\d+\\.\\d+\\.\\d+)$,group=1,prefix=v'],
        flavor: ['latest=false']
    }
};
function presetNames() {
    return Object.keys(PRESETS);
}
function getPreset(name, input = 'tag-preset') {
    const preset = PRESETS[name];
    if (!preset) {
        throw new Error(`Input "${input}": unknown preset "${name}"; choose one of ${presetNames().join(', ')}`);
    }
    return preset;
}

;// CONCATENATED MODULE: ./src/meta/lazy-modules.ts

const LAZY_NAMES = ['handlebars', 'moment', 'pep440'];
const IMPORTERS = {
    handlebars: async () => (await __webpack_require__.e(/* import() */ 508).then(__webpack_require__.t.bind(__webpack_require__, 88508, 23))).default,
    moment: async () => (await __webpack_require__.e(/* import() */ 856).then(__webpack_require__.t.bind(__webpack_require__, 79856, 23))).default,
    pep440: async () => __webpack_require__.e(/* import() */ 518).then(__webpack_require__.t.bind(__webpack_require__, 25518, 23))
};
/** A simple mustache (not inside a triple stash): expressions.ts renders it without handlebars. */
const SIMPLE_MUSTACHE = /(?<!\{)\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}(?!\})/g;
/**
 * Names a simple mustache may not take without handlebars: its built-in helpers, its keywords and
 * literals (`{{this}}`, `{{true}}` ...), and the date helpers, which a bare `{{date}}` calls with
 * handlebars' options object.
 */
const HANDLEBARS_ONLY_NAMES = new Set([
    'blockHelperMissing',
    'each',
    'helperMissing',
    'if',
    'log',
    'lookup',
    'unless',
    'with',
    'else',
    'as',
    'this',
    'true',
    'false',
    'null',
    'undefined',
    'date',
    'commit_date'
]);
/** True when every `{{` in the text is a simple mustache expressions.ts renders on its own. */
function onlySimpleMustaches(text) {
    if (text.includes('\\{{'))
        return false;
    let simple = true;
    const rest = text.replace(SIMPLE_MUSTACHE, (_whole, name) => {
        if (HANDLEBARS_ONLY_NAMES.has(name))
            simple = false;
        return '';
    });
    return simple && !rest.includes('{{');
}
/**
 * The modules a run whose inputs (and the presets they may name) hold these strings can need.
 * Errs towards loading: a module left out fails the run (need() below), one loaded needlessly
 * only costs its parse. `date` anywhere in a template-bearing text loads moment, a `pep440`
 * anywhere loads pep440 (the rule type, whatever input it is in).
 */
function modulesFor(texts) {
    const out = new Set();
    for (const text of texts) {
        if (!onlySimpleMustaches(text)) {
            out.add('handlebars');
            if (/date/.test(text))
                out.add('moment');
        }
        if (/pep440/i.test(text))
            out.add('pep440');
    }
    return LAZY_NAMES.filter(n => out.has(n));
}
/** Every string in a value (inputs are strings, lists and records of them). */
function stringsOf(value, out = []) {
    if (typeof value === 'string')
        out.push(value);
    else if (Array.isArray(value))
        for (const v of value)
            stringsOf(v, out);
    else if (value !== null && typeof value === 'object')
        for (const v of Object.values(value))
            stringsOf(v, out);
    return out;
}
/**
 * What the tag core may render for these inputs: every string in them, and the rules of each
 * preset they name (`tag-preset`, an image's `preset=`; a mere mention also counts).
 */
function templateTexts(inputs) {
    const texts = stringsOf(inputs);
    for (const [name, preset] of Object.entries(PRESETS)) {
        if (texts.some(t => t.includes(name)))
            texts.push(...preset.tags, ...preset.flavor);
    }
    return texts;
}
/** The loaded modules; filled by load(), read by need(). */
class ModuleHolder {
    importers;
    loaded = {};
    constructor(importers = IMPORTERS) {
        this.importers = importers;
    }
    async load(names) {
        await Promise.all(names.map(async (name) => this.loadOne(name)));
    }
    async loadOne(name) {
        this.loaded[name] ??= await this.importers[name]();
    }
    has(name) {
        return this.loaded[name] !== undefined;
    }
    need(name) {
        const mod = this.loaded[name];
        // A bug, not a user error: modulesFor() did not see what the inputs use.
        if (mod === undefined)
            throw new Error(`internal: ${name} is needed by these inputs but was not loaded`);
        return mod;
    }
}
/** The run's modules: the orchestration loads, the tag core needs. */
const lazyModules = new ModuleHolder();
const need = (name) => lazyModules.need(name);
/** Loads what these strings can need; call before the tag core sees them. */
async function loadModulesFor(texts) {
    const names = modulesFor(texts);
    await lazyModules.load(names);
    return names;
}

;// CONCATENATED MODULE: ./src/meta/expressions.ts


let handlebarsEnv;
/**
 * One Handlebars environment for every template, without the built-in `log` helper: it writes to
 * stdout, so `{{log "::add-mask::x"}}` in a tag or label was a workflow command. Bare unknown names
 * (`{{shell}}`) still render empty, as in metadata-action; a call (`{{shell "ls"}}`) is refused.
 * Created on first use: handlebars is loaded only for inputs that need it (lazy-modules.ts).
 */
function templates() {
    if (handlebarsEnv)
        return handlebarsEnv;
    const env = need('handlebars').create();
    // Replaced rather than unregistered: the compiler calls known helpers directly.
    env.registerHelper('log', () => {
        throw new Error('Missing helper: "log"');
    });
    handlebarsEnv = env;
    return env;
}
const ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;'
};
/** Handlebars' escapeExpression, which `{{name}}` applies (metadata-action renders the same way). */
function escapeValue(value) {
    if (value === null || value === undefined)
        return '';
    return String(value).replace(/[&<>"'`=]/g, c => ESCAPES[c]);
}
/**
 * A template whose every `{{` is a simple `{{name}}` (the rules' `{{version}}`, `{{sha}}`,
 * `{{is_default_branch}}` ...), rendered as handlebars renders it: an own property of the data,
 * called when it is a function, escaped; anything else renders empty. Undefined when the template
 * needs handlebars itself (a helper call, a block, `{{date}}`, an escape).
 */
function renderSimple(template, data) {
    if (!onlySimpleMustaches(template))
        return undefined;
    let needsHandlebars = false;
    const out = template.replace(SIMPLE_MUSTACHE, (_whole, name) => {
        const own = data !== null && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, name);
        let value = own ? data[name] : undefined;
        if (typeof value === 'function') {
            // Handlebars passes its options object: only our zero-argument helpers can skip it.
            if (value.length > 0 || HANDLEBARS_ONLY_NAMES.has(name))
                needsHandlebars = true;
            else
                value = value.call(data);
        }
        return escapeValue(value);
    });
    return needsHandlebars ? undefined : out;
}
const EXPRESSIONS = 'branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, date, commit_date';
/** Handlebars' message turned into the rule the template broke (its parse errors span several lines). */
function templateRule(template, message) {
    const helper = /^Missing helper: "([^"]*)"/.exec(message);
    if (helper)
        return `{{${helper[1]} …}} is not an expression this action offers (${EXPRESSIONS})`;
    if (/^Parse error/.test(message)) {
        const expecting = message.split('\n').pop() ?? '';
        return `the template ${JSON.stringify(excerpt(template))} does not parse: ${expecting}`;
    }
    if (/partial .* could not be found/.test(message))
        return 'partials ({{> name}}) are not supported';
    return message;
}
/** Compiles and renders a template; a failure names the input and entry it came from. */
function renderTemplate(template, data, where) {
    const simple = renderSimple(template, data);
    if (simple !== undefined)
        return simple;
    // Outside the try: a module not loaded is our bug, not the template's.
    const env = templates();
    try {
        return env.compile(template)(data);
    }
    catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Already phrased for the user (a helper that refused with its own input name).
        if (message.startsWith('Input "'))
            throw err;
        throw refusal(where.input, where.entry, templateRule(template, message));
    }
}
const DEFAULT_SHORT_SHA_LENGTH = 7;
function shortSha(sha, lengthSwitch) {
    let length = DEFAULT_SHORT_SHA_LENGTH;
    if (lengthSwitch) {
        if (isNaN(Number(lengthSwitch))) {
            throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: ${lengthSwitch}`);
        }
        length = Number(lengthSwitch);
    }
    return length >= sha.length ? sha : sha.substring(0, length);
}
function dateHelper(date) {
    return (format, options) => {
        let tz = 'UTC';
        for (const key of Object.keys(options.hash)) {
            if (key !== 'tz') {
                throw new Error(`{{date}} takes only tz=, not ${key}=`);
            }
            tz = options.hash[key];
            // moment falls back to UTC with a console warning on an unknown zone: a wrong tag, silently.
            if (need('moment').tz.zone(tz) === null)
                throw new Error(`tz="${tz}" is not a time zone (e.g. Europe/Paris)`);
        }
        return need('moment')(date).tz(tz).format(format);
    };
}
const BRANCH = /^refs\/heads\//;
const expressions_TAG = /^refs\/tags\//;
const PULL = /^refs\/pull\//;
/**
 * metadata-action's `{{is_default_branch}}`: the ref (with `refs/heads/` stripped, so a tag ref never
 * equals the branch) against the payload's default branch; some events always run on it.
 */
function isDefaultBranch(ctx) {
    const branch = ctx.ref.replace(BRANCH, '');
    if (branch.length === 0) {
        return 'false';
    }
    if (ctx.payloadDefaultBranch === branch) {
        return 'true';
    }
    // These events always run on the last commit of the default branch.
    if (/create|discussion|issues|schedule/.test(ctx.eventName)) {
        return 'true';
    }
    return 'false';
}
/** Renders the `{{...}}` expressions metadata-action offers in values, prefixes, suffixes, enable and labels. */
class Expressions {
    ctx;
    now;
    shortShaLength;
    constructor(ctx, now, shortShaLength) {
        this.ctx = ctx;
        this.now = now;
        this.shortShaLength = shortShaLength;
    }
    /** Only `{{date}}` and `{{commit_date}}`, as schedule patterns see them. */
    renderDates(template, where) {
        return renderTemplate(template, {
            date: dateHelper(this.now),
            commit_date: dateHelper(this.ctx.commitDate)
        }, where);
    }
    /** `extra`: plain values some inputs see besides metadata-action's (labels: `{{version}}`, `{{created}}`). */
    render(template, where, extra = {}) {
        const ctx = this.ctx;
        const shaLength = this.shortShaLength;
        return renderTemplate(template, {
            ...extra,
            branch: () => (BRANCH.test(ctx.ref) ? ctx.ref.replace(BRANCH, '') : ''),
            tag: () => (expressions_TAG.test(ctx.ref) ? ctx.ref.replace(expressions_TAG, '') : ''),
            sha: () => shortSha(ctx.sha, shaLength),
            base_ref: () => {
                if (expressions_TAG.test(ctx.ref) && ctx.payloadBaseRef !== undefined) {
                    return ctx.payloadBaseRef.replace(BRANCH, '');
                }
                if (PULL.test(ctx.ref) && ctx.prBaseRef !== undefined) {
                    return ctx.prBaseRef;
                }
                return '';
            },
            is_default_branch: () => isDefaultBranch(ctx),
            // metadata-action >= 5.8: the negation, so `enable=` can keep a tag off the default branch.
            is_not_default_branch: () => (isDefaultBranch(ctx) === 'true' ? 'false' : 'true'),
            date: dateHelper(this.now),
            commit_date: dateHelper(ctx.commitDate)
        }, where);
    }
}
/** True when a pattern is exactly `{{raw}}`: pre-releases then keep the raw tag instead of `{{version}}`. */
function isRawStatement(pattern) {
    if (onlySimpleMustaches(pattern))
        return pattern === '{{raw}}';
    const env = templates();
    try {
        const program = env.parseWithoutProcessing(pattern);
        if (program.body.length === 1 && program.body[0].type === 'MustacheStatement') {
            const path = program.body[0].path;
            return path.parts?.length === 1 && path.parts[0] === 'raw';
        }
    }
    catch {
        return false;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/meta/flavor.ts


const flavor_KEYS = 'latest=, prefix=, suffix= and onlatest=';
function parseFlavor(entries, input = 'flavor') {
    const flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
    for (const entry of entries) {
        let onlatestFor = '';
        const refuse = (rule) => refusal(input, entry, rule);
        for (const parts of parseFields(entry, input)) {
            if (parts.length === 1) {
                throw refuse(`not key=value; flavor takes ${flavor_KEYS}`);
            }
            const key = parts[0].toLowerCase();
            const value = parts[1];
            switch (key) {
                case 'latest':
                    if (value !== 'auto' && value !== 'true' && value !== 'false' && value !== 'highest') {
                        throw refuse(`latest=${value} is not one of auto, true, false, highest`);
                    }
                    flavor.latest = value;
                    break;
                case 'prefix':
                    flavor.prefix = value;
                    onlatestFor = 'prefix';
                    break;
                case 'suffix':
                    flavor.suffix = value;
                    onlatestFor = 'suffix';
                    break;
                case 'onlatest':
                    if (value !== 'true' && value !== 'false') {
                        throw refuse(`onlatest=${value} is not true or false`);
                    }
                    if (onlatestFor === 'prefix')
                        flavor.prefixLatest = value === 'true';
                    if (onlatestFor === 'suffix')
                        flavor.suffixLatest = value === 'true';
                    break;
                default:
                    throw refuse(`unknown attribute "${key}"; flavor takes ${flavor_KEYS}`);
            }
        }
    }
    return flavor;
}

;// CONCATENATED MODULE: ./src/meta/images.ts


/**
 * `tags=` / `flavor=` hold several rules, each with commas of its own: the field is CSV-quoted and
 * its rules are separated by `;` (`name=ghcr.io/a/b,"tags=type=ref,event=branch;type=sha"`). A rule
 * that needs a `;` itself belongs in a preset or the `tags` input.
 */
function ruleList(value, key, entry) {
    const rules = value
        .split(';')
        .map(r => r.trim())
        .filter(Boolean);
    if (rules.length === 0)
        throw new Error(`Input "images": ${key}= holds no rule in "${entry}"`);
    return rules;
}
/**
 * Reads the `images` input. A single line of bare names (`a/b,c/d`) is the old metadata-action
 * form; otherwise each line is `name=...,enable=...`. image-publish adds
 * `preset=` (a tag preset for that image only), `tags=` and `flavor=` (rules for that image only,
 * `;`-separated inside a quoted field, see ruleList). metadata-action's own forms parse unchanged.
 */
function parseImages(entries) {
    if (entries.length === 1) {
        const fields = parseFields(entries[0], 'images');
        if (fields.every(parts => parts.length === 1)) {
            return fields.map(parts => ({ name: parts[0].toLowerCase(), enable: true }));
        }
    }
    const images = [];
    for (const entry of entries) {
        const image = { name: '', enable: true };
        const refuse = (rule) => refusal('images', entry, rule);
        for (const parts of parseFields(entry, 'images')) {
            if (parts.length === 1) {
                image.name = parts[0].toLowerCase();
                continue;
            }
            const key = parts[0].toLowerCase();
            const value = parts[1];
            switch (key) {
                case 'name':
                    image.name = value.toLowerCase();
                    break;
                case 'enable':
                    if (value !== 'true' && value !== 'false') {
                        throw refuse(`enable=${value} is not true or false`);
                    }
                    image.enable = value === 'true';
                    break;
                case 'preset':
                    image.preset = value;
                    break;
                case 'tags':
                    image.tags = ruleList(value, key, entry);
                    break;
                case 'flavor':
                    image.flavor = ruleList(value, key, entry);
                    break;
                default:
                    throw refuse(`unknown attribute "${key}"; an image entry takes name=, enable=, preset=, tags= and flavor=`);
            }
        }
        if (image.name.length === 0) {
            throw refuse('the image name is empty; write name=<registry>/<repository> or the bare name');
        }
        if (image.preset !== undefined && image.tags !== undefined) {
            throw new Error(`Input "images": "${entry}" sets both preset= and tags=; choose one (a preset is a named list of tag rules)`);
        }
        images.push(image);
    }
    return images;
}

;// CONCATENATED MODULE: ./src/meta/labels.ts

// localeCompare (metadata-action's order) builds ICU's collator on its first call, ~8 ms of a run's
// start-up. Over lowercase letters, digits and dots (every OCI key) it orders as code points do,
// so such pairs skip it (label-order.test.ts holds the two against each other).
const PLAIN_KEY = /^[a-z0-9.]*$/;
/** localeCompare's order of two keys. */
function compareKeys(a, b) {
    if (PLAIN_KEY.test(a) && PLAIN_KEY.test(b))
        return a < b ? -1 : a > b ? 1 : 0;
    return a.localeCompare(b);
}
/**
 * The OCI annotations metadata-action derives from the repository and the run, plus custom
 * entries (each rendered through the expressions); later keys replace earlier ones, sorted by key.
 */
function ociAnnotations(repo, version, sha, created, extra, exp, opts = {}) {
    // `auto-labels: false` / `auto-annotations: false`: only the user's entries.
    const res = opts.auto === false
        ? []
        : [
            `org.opencontainers.image.title=${repo.name}`,
            `org.opencontainers.image.description=${repo.description}`,
            `org.opencontainers.image.url=${repo.htmlUrl}`,
            `org.opencontainers.image.source=${repo.htmlUrl}`,
            `org.opencontainers.image.version=${version.main ?? ''}`,
            `org.opencontainers.image.created=${created.toISOString()}`,
            `org.opencontainers.image.revision=${sha}`,
            `org.opencontainers.image.licenses=${repo.license}`
        ];
    for (const entry of extra) {
        const input = opts.input ?? 'labels';
        const rendered = exp.render(entry, { input, entry }, opts.vars);
        // `=value` became `--label =value`, which buildx refuses only after login and builder creation.
        // An entry without `=` stays ignored, as metadata-action ignores it.
        if (/^\s*=/.test(rendered))
            throw refusal(input, entry, 'the key is empty; write key=value');
        res.push(rendered);
    }
    const map = new Map();
    for (const entry of res) {
        const [key, ...values] = entry.split('=');
        if (values.length > 0) {
            map.set(key, values.join('='));
        }
    }
    return Array.from(map)
        .sort((a, b) => compareKeys(a[0], b[0]))
        .map(([key, value]) => `${key}=${value}`);
}
/** `key=value` lines to an object, as the `json` output shows labels. */
function toRecord(entries) {
    const out = {};
    for (const entry of entries) {
        const m = entry.match(/([^=]*)=(.*)/);
        if (m)
            out[m[1]] = m[2];
    }
    return out;
}

;// CONCATENATED MODULE: ./src/meta/latest.ts

/** The final (non pre-release) semver a tag spells once the image's prefix and suffix are off. */
function releaseOf(tag, prefix, suffix) {
    let t = tag;
    if (prefix) {
        if (!t.startsWith(prefix))
            return undefined;
        t = t.slice(prefix.length);
    }
    if (suffix) {
        if (!t.endsWith(suffix))
            return undefined;
        t = t.slice(0, t.length - suffix.length);
    }
    // Only full X.Y.Z (a leading v allowed): partial tags such as 1.2 or 1 follow their X.Y.Z.
    const v = semver_default().valid(t);
    if (!v || semver_default().prerelease(v))
        return undefined;
    return v;
}
/** The semver this run releases, read from its planned tags (the first that spells one). */
function runRelease(tags, prefix, suffix) {
    for (const tag of tags) {
        const v = releaseOf(tag, prefix, suffix);
        if (v)
            return v;
    }
    return undefined;
}
/** Keep `latest` when no existing final release is higher than this one (equal: a re-run keeps it). */
function latestDecision(guard, existingTags) {
    let highest;
    let highestTag;
    for (const tag of existingTags) {
        const v = releaseOf(tag, guard.prefix, guard.suffix);
        if (v && (!highest || semver_default().gt(v, highest))) {
            highest = v;
            highestTag = tag;
        }
    }
    if (!highest)
        return { keep: true };
    return { keep: semver_default().gte(guard.version, highest), highest, highestTag };
}

;// CONCATENATED MODULE: ./src/meta/tag-rules.ts


const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'];
const REF_EVENTS = ['branch', 'tag', 'pr'];
const SHA_FORMATS = ['short', 'long'];
/** Attributes each type understands; anything else is a typo we refuse (metadata-action ignores them). */
const KNOWN_ATTRS = {
    schedule: ['pattern'],
    // `match` (metadata-action >= 5.8): a regex whose group 1 is the version inside the tag or value.
    semver: ['pattern', 'value', 'match'],
    pep440: ['pattern', 'value', 'match'],
    match: ['pattern', 'group', 'value'],
    edge: ['branch'],
    ref: ['event'],
    raw: ['value'],
    sha: ['format']
};
// `value` is accepted everywhere: a bare field (no `=`) lands there in metadata-action.
const COMMON_ATTRS = ['enable', 'priority', 'prefix', 'suffix', 'value'];
const DEFAULT_PRIORITIES = {
    schedule: '1000',
    semver: '900',
    pep440: '900',
    match: '800',
    edge: '700',
    ref: '600',
    raw: '200',
    sha: '100'
};
const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
/**
 * metadata-action reads the version from group 1 of `match=` and crashes (a TypeError) when there is
 * none, or on a regex that does not compile; both are refused here, naming the entry.
 */
function checkVersionMatch(match, entry, input) {
    let groups;
    try {
        new RegExp(match);
        // ORed with the empty pattern it always matches "", and the result has one slot per group.
        groups = new RegExp(`(?:${match})|`).exec('').length - 1;
    }
    catch (err) {
        throw new Error(`Input "${input}": match=${match} in tags entry "${entry}" is not a valid regular expression: ${err.message}`);
    }
    if (groups < 1) {
        throw new Error(`Input "${input}": match=${match} in tags entry "${entry}" has no capture group; the version is read from group 1, e.g. match=v(\\d+\\.\\d+\\.\\d+)$`);
    }
}
/** A priority is a number (metadata-action sorts by `Number()`, so `high` gave NaN and an arbitrary order). */
const PRIORITY = /^-?\d+(?:\.\d+)?$/;
function parseTagRule(entry, input = 'tags') {
    const refuse = (rule) => refusal(input, entry, rule);
    let type;
    const attrs = {};
    for (const parts of parseFields(entry, input)) {
        if (parts.length === 1) {
            attrs['value'] = parts[0];
            continue;
        }
        const key = parts[0].toLowerCase();
        const value = parts[1];
        if (key === 'type') {
            if (!TAG_TYPES.includes(value)) {
                throw refuse(`unknown tag type "${value}" (type= is one of ${TAG_TYPES.join(', ')})`);
            }
            type = value;
        }
        else {
            attrs[key] = value;
        }
    }
    const t = type ?? 'raw';
    for (const key of Object.keys(attrs)) {
        if (!COMMON_ATTRS.includes(key) && !KNOWN_ATTRS[t].includes(key)) {
            throw new Error(`Input "${input}": Unknown tag attribute "${key}" in tags entry "${entry}" (type=${t} accepts ${[...KNOWN_ATTRS[t], ...COMMON_ATTRS].join(', ')})`);
        }
    }
    switch (t) {
        case 'schedule':
            if (!has(attrs, 'pattern'))
                attrs['pattern'] = 'nightly';
            break;
        case 'semver':
        case 'pep440':
            if (!has(attrs, 'pattern')) {
                throw refuse(`missing pattern attribute; type=${t} needs one, e.g. pattern={{version}}`);
            }
            if (!has(attrs, 'value'))
                attrs['value'] = '';
            if (!has(attrs, 'match'))
                attrs['match'] = '';
            if (attrs['match'].length > 0)
                checkVersionMatch(attrs['match'], entry, input);
            break;
        case 'match':
            if (!has(attrs, 'pattern')) {
                throw refuse('missing pattern attribute; type=match needs a regular expression, e.g. pattern=v(\\d+\\.\\d+)');
            }
            if (!has(attrs, 'group'))
                attrs['group'] = '0';
            if (isNaN(+attrs['group'])) {
                throw refuse(`group=${attrs['group']} is not a number; group is the index of the capture group to use`);
            }
            if (!has(attrs, 'value'))
                attrs['value'] = '';
            break;
        case 'edge':
            if (!has(attrs, 'branch'))
                attrs['branch'] = '';
            break;
        case 'ref':
            if (!has(attrs, 'event'))
                throw refuse(`missing event attribute; type=ref needs event=${REF_EVENTS.join('|')}`);
            if (!REF_EVENTS.includes(attrs['event'])) {
                throw refuse(`event=${attrs['event']} is not one of ${REF_EVENTS.join(', ')}`);
            }
            if (attrs['event'] === 'pr' && !has(attrs, 'prefix'))
                attrs['prefix'] = 'pr-';
            break;
        case 'raw':
            if (!has(attrs, 'value'))
                throw refuse('missing value attribute; type=raw needs value=<tag>');
            break;
        case 'sha':
            if (!has(attrs, 'prefix'))
                attrs['prefix'] = 'sha-';
            if (!has(attrs, 'format'))
                attrs['format'] = 'short';
            if (!SHA_FORMATS.includes(attrs['format'])) {
                throw refuse(`format=${attrs['format']} is not one of ${SHA_FORMATS.join(', ')}`);
            }
            break;
    }
    if (!has(attrs, 'enable'))
        attrs['enable'] = 'true';
    if (!has(attrs, 'priority'))
        attrs['priority'] = DEFAULT_PRIORITIES[t];
    if (!PRIORITY.test(attrs['priority'])) {
        throw refuse(`priority=${attrs['priority']} is not a number; rules are ordered by priority, highest first`);
    }
    return { type: t, attrs, source: entry, input };
}
/** Parses every rule (the metadata-action defaults when none) and orders them by priority, highest first. */
function parseTagRules(entries, input = 'tags') {
    const list = entries.length === 0 ? DEFAULT_TAG_RULES : entries;
    const rules = list.map(entry => parseTagRule(entry, input));
    // Array.prototype.sort is stable: equal priorities keep their input order, as in metadata-action.
    return rules.sort((a, b) => Number(b.attrs['priority']) - Number(a.attrs['priority']) || 0);
}
/** `[registry/]path/name:tag` or `registry/path/name`: what someone used to build-push-action's `tags:` writes. */
const DOMAIN_FIRST = /^(?:localhost|[^/\s]*[.:][^/\s]*)\/[^\s]+$/;
const NAME_WITH_TAG = /^[^/\s:]+(?::[0-9]+)?(?:\/[^/\s:]+)+:[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/**
 * type=raw entries whose value is a whole image reference. metadata-action turns them into one odd tag
 * (`ghcr.io/acme/app:1.0` → `ghcr.io-acme-app-1.0`); the output stays the same for parity, the caller
 * warns. Values with expressions are left alone: what they render to is not known here.
 */
function fullReferenceLines(entries) {
    const out = [];
    for (const entry of entries) {
        const rule = parseTagRule(entry);
        const value = rule.attrs['value'];
        if (rule.type !== 'raw' || value.includes('{{'))
            continue;
        if (DOMAIN_FIRST.test(value) || NAME_WITH_TAG.test(value) || value.includes('@sha256:')) {
            out.push({ source: entry, tag: value.replace(/[^a-zA-Z0-9._-]+/g, '-') });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/meta/validate.ts


/** The OCI distribution rule for a tag. */
const TAG_RULE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const validate_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
/**
 * metadata-action's sanitization (runs of invalid characters become `-`), then what it leaves
 * invalid: leading `.`/`-` are dropped (`{{branch}}-{{sha}}` off a branch renders `-3f9c2ab`),
 * an empty result is skipped with a warning, and an over-long tag is an error.
 */
function sanitizeTag(raw, source, warn, input = 'tags') {
    const dashed = raw.replace(/[^a-zA-Z0-9._-]+/g, '-');
    const trimmed = dashed.replace(/^[.-]+/, '');
    if (trimmed !== dashed) {
        warn(`Tag "${dashed}" from tags entry "${source}" starts with "." or "-"; using "${trimmed}"`);
    }
    if (trimmed.length === 0) {
        warn(`Tags entry "${source}" rendered "${raw}", which holds no valid tag character; no tag emitted`);
        return undefined;
    }
    if (!TAG_RULE.test(trimmed)) {
        throw new Error(`Input "${input}": entry "${excerpt(source)}": tag "${excerpt(trimmed)}" is invalid: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} (${trimmed.length} characters)`);
    }
    return trimmed;
}
/** Throws when a finished tag breaks the rule (e.g. a per-arch suffix made it too long). */
function assertTag(tag, input) {
    if (!TAG_RULE.test(tag)) {
        throw new Error(`Input "${input}": tag "${excerpt(tag)}" is invalid: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
    }
}
/**
 * Splits and checks an image name against the reference grammar and the namespace rules of known
 * registries. Host and path are split by reference.ts, the one grammar of the action.
 */
function parseImageName(name, input = 'images') {
    const fail = (rule) => {
        throw new Error(`Input "${input}": invalid image name "${excerpt(name)}": ${rule}`);
    };
    if (name.length === 0)
        fail('the name is empty');
    if (name.includes('@'))
        fail('an image name must not carry a digest (@sha256:...); tags come from the tag rules');
    const last = name.slice(name.lastIndexOf('/') + 1);
    if (last.includes(':'))
        fail(`an image name must not carry a tag (":${last.split(':')[1]}"); tags come from the tag rules`);
    const { registry, repository } = splitName(name, fail);
    const parts = repository.split('/');
    for (const component of parts) {
        if (!validate_PATH_COMPONENT.test(component)) {
            fail(`path component "${component}" must match [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`);
        }
    }
    if (name.length > 255)
        fail('the name is longer than 255 characters');
    if (registry === 'quay.io' && parts.length !== 2) {
        fail('quay.io repositories are exactly <organization>/<repository>');
    }
    if (registry === 'ghcr.io' && parts.length < 2) {
        fail('ghcr.io images live under an owner: ghcr.io/<owner>/<name>');
    }
    if (registry === DOCKER_HUB && parts.length > 2) {
        fail('Docker Hub repositories are <namespace>/<repository>');
    }
    return { name, registry, repository, canonical: `${registry}/${repository}` };
}

;// CONCATENATED MODULE: ./src/meta/version.ts





const version_BRANCH = /^refs\/heads\//;
const version_TAG = /^refs\/tags\//;
const version_PULL = /^refs\/pull\//;
/**
 * Computes the version (main + partials + latest) from the rules, in priority order, exactly as
 * docker/metadata-action does; the one difference is `sanitizeTag`, which also guarantees a valid tag.
 */
function computeVersion(input) {
    const { ctx, flavor, exp, warn } = input;
    let main;
    const partial = [];
    let latest;
    // `highest` plans latest as `auto` does; the tag stage may then drop it (meta/latest.ts).
    const latestFor = (auto) => flavor.latest === 'auto' || flavor.latest === 'highest' ? auto : flavor.latest === 'true';
    const at = (rule) => ({ input: rule.input, entry: rule.source });
    const withAffixes = (val, rule) => {
        if ('prefix' in rule.attrs) {
            val = `${exp.render(rule.attrs['prefix'], at(rule))}${val}`;
        }
        else if (flavor.prefix.length > 0) {
            val = `${exp.render(flavor.prefix, { input: 'flavor', entry: `prefix=${flavor.prefix}` })}${val}`;
        }
        if ('suffix' in rule.attrs) {
            val = `${val}${exp.render(rule.attrs['suffix'], at(rule))}`;
        }
        else if (flavor.suffix.length > 0) {
            val = `${val}${exp.render(flavor.suffix, { input: 'flavor', entry: `suffix=${flavor.suffix}` })}`;
        }
        return val;
    };
    const set = (raw, isLatest, rule) => {
        if (raw.length === 0) {
            return;
        }
        const val = sanitizeTag(raw, rule.source, warn, rule.input);
        if (val === undefined) {
            return;
        }
        if (main === undefined) {
            main = val;
        }
        else if (val !== main) {
            partial.push(val);
        }
        if (latest === undefined) {
            latest = isLatest;
        }
    };
    /** The rendered `value=`, else the git tag (slashes kept); undefined off a tag without a value. */
    const valueOrTag = (rule) => {
        if (rule.attrs['value'].length > 0) {
            return exp.render(rule.attrs['value'], at(rule));
        }
        return version_TAG.test(ctx.ref) ? ctx.ref.replace(version_TAG, '') : undefined;
    };
    // semver/pep440 (metadata-action >= 5.8): the tag or value, then `match=` group 1 when it matches
    // (no match only warns and keeps the whole string), then `/` → `-` — a value's slashes included.
    const versionSource = (rule) => {
        let vraw = valueOrTag(rule);
        if (vraw === undefined)
            return undefined;
        const match = rule.attrs['match'];
        if (match.length > 0) {
            const m = vraw.match(match);
            if (!m) {
                warn(`${match} does not match ${vraw}.`);
            }
            else if (m[1] === undefined) {
                // The group exists (checked when parsing) but is optional and took no part in the match.
                throw new Error(`Input "${rule.input}": match=${match} in tags entry "${rule.source}" matched "${vraw}" without capturing group 1`);
            }
            else {
                vraw = m[1];
            }
        }
        return vraw.replace(/\//g, '-');
    };
    for (const rule of input.rules) {
        const enabled = exp.render(rule.attrs['enable'], at(rule));
        if (enabled !== 'true' && enabled !== 'false') {
            throw refusal(rule.input, rule.source, `enable= gave "${enabled}"; it must be true or false`);
        }
        if (enabled !== 'true') {
            continue;
        }
        switch (rule.type) {
            case 'schedule': {
                if (!/schedule/.test(ctx.eventName))
                    break;
                set(withAffixes(exp.renderDates(rule.attrs['pattern'], at(rule)), rule), latestFor(false), rule);
                break;
            }
            case 'semver': {
                let vraw = versionSource(rule);
                if (vraw === undefined)
                    break;
                if (!semver_default().valid(vraw)) {
                    warn(`${vraw} is not a valid semver. More info: https://semver.org/`);
                    break;
                }
                const sver = semver_default().parse(vraw, { loose: true });
                let isLatest = false;
                if (semver_default().prerelease(vraw)) {
                    const pattern = isRawStatement(rule.attrs['pattern']) ? rule.attrs['pattern'] : '{{version}}';
                    vraw = withAffixes(renderTemplate(pattern, sver, at(rule)), rule);
                }
                else {
                    vraw = withAffixes(renderTemplate(rule.attrs['pattern'], sver, at(rule)), rule);
                    isLatest = true;
                }
                set(vraw, latestFor(isLatest), rule);
                break;
            }
            case 'pep440': {
                const vraw = versionSource(rule);
                if (vraw === undefined)
                    break;
                const pep440 = need('pep440');
                if (!pep440.valid(vraw)) {
                    warn(`${vraw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
                    break;
                }
                const pver = pep440.explain(vraw);
                let out;
                let isLatest = false;
                if (pver && (pver.is_prerelease || pver.is_postrelease || pver.is_devrelease)) {
                    out = withAffixes(isRawStatement(rule.attrs['pattern']) ? vraw : (pep440.clean(vraw) ?? vraw), rule);
                }
                else {
                    out = withAffixes(renderTemplate(rule.attrs['pattern'], {
                        raw: () => vraw,
                        version: () => pep440.clean(vraw),
                        major: () => pep440.major(vraw),
                        minor: () => pep440.minor(vraw),
                        patch: () => pep440.patch(vraw)
                    }, at(rule)), rule);
                    isLatest = true;
                }
                set(out, latestFor(isLatest), rule);
                break;
            }
            case 'match': {
                const vraw = valueOrTag(rule);
                if (vraw === undefined)
                    break;
                const pattern = rule.attrs['pattern'];
                const isRegex = pattern.match(/^\/(.+)\/(.*)$/);
                const m = isRegex ? vraw.match(new RegExp(isRegex[1], isRegex[2])) : vraw.match(pattern);
                if (!m) {
                    warn(`${pattern} does not match ${vraw}.`);
                    break;
                }
                const group = m[Number(rule.attrs['group'])];
                if (group === undefined) {
                    warn(`Group ${rule.attrs['group']} does not exist for ${pattern} pattern.`);
                    break;
                }
                set(withAffixes(group, rule), latestFor(true), rule);
                break;
            }
            case 'ref': {
                const event = rule.attrs['event'];
                if (event === 'branch' && version_BRANCH.test(ctx.ref)) {
                    set(withAffixes(ctx.ref.replace(version_BRANCH, ''), rule), latestFor(false), rule);
                }
                else if (event === 'tag' && version_TAG.test(ctx.ref)) {
                    set(withAffixes(ctx.ref.replace(version_TAG, ''), rule), latestFor(true), rule);
                }
                else if (event === 'pr' && version_PULL.test(ctx.ref)) {
                    set(withAffixes(ctx.ref.replace(version_PULL, '').replace(/\/merge$/, ''), rule), latestFor(false), rule);
                }
                break;
            }
            case 'edge': {
                if (!version_BRANCH.test(ctx.ref))
                    break;
                const branch = rule.attrs['branch'].length === 0 ? input.defaultBranch : rule.attrs['branch'];
                if (branch !== ctx.ref.replace(version_BRANCH, ''))
                    break;
                set(withAffixes('edge', rule), latestFor(false), rule);
                break;
            }
            case 'raw': {
                set(withAffixes(exp.render(rule.attrs['value'], at(rule)), rule), latestFor(false), rule);
                break;
            }
            case 'sha': {
                if (!ctx.sha)
                    break;
                const val = rule.attrs['format'] === 'short' ? shortSha(ctx.sha, input.shortShaLength) : ctx.sha;
                set(withAffixes(val, rule), latestFor(false), rule);
                break;
            }
        }
    }
    return { main, partial: partial.filter((item, i) => partial.indexOf(item) === i), latest: latest ?? false };
}

;// CONCATENATED MODULE: ./src/meta/index.ts










/** The `-<arch>` suffix for a platform: linux/amd64 → amd64, linux/arm/v7 → armv7. */
function archSuffix(platform) {
    const [, arch = platform, variant = ''] = platform.split('/');
    return `${arch}${variant}`;
}
function validateManualVersion(version) {
    if (!semver_default().valid(version)) {
        throw new Error(`Input "version" must be a semantic version such as v1.2.3 or 1.2.3-rc.1 (https://semver.org), got "${version}"`);
    }
    return version;
}
/**
 * `custom-tag`: one tag as written (no sanitizing: a typo is refused, not rewritten). A semver value
 * is refused too: a release goes through `version`, which also gives X.Y / X and latest.
 */
function validateCustomTag(tag) {
    if (!TAG_RULE.test(tag)) {
        throw new Error(`Input "custom-tag": "${tag}" is not a valid tag: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
    }
    if (semver_default().valid(tag)) {
        throw new Error(`Input "custom-tag": "${tag}" is a semantic version; set it as version: instead (which also gives the X.Y, X and latest tags the rules make of a release)`);
    }
    return tag;
}
/** Inputs + run context → every tag, label and annotation. Pure: no environment, clock or files. */
function computeMeta(inputs, env) {
    const warnings = [];
    const warn = (m) => {
        warnings.push(m);
    };
    let ctx = env.ctx;
    if (inputs.version && inputs.customTag) {
        throw new Error('Inputs "version" and "custom-tag" are both set: version releases a semantic version, custom-tag publishes one non-semver tag; set one');
    }
    const customRule = inputs.customTag
        ? { ...parseTagRule(`type=raw,value=${validateCustomTag(inputs.customTag)}`), source: 'custom-tag' }
        : undefined;
    if (inputs.version) {
        ctx = { ...ctx, ref: `refs/tags/${validateManualVersion(inputs.version)}` };
    }
    const exp = new Expressions(ctx, env.now, env.switches.shortShaLength);
    if (inputs.tagPrefix && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(inputs.tagPrefix)) {
        throw new Error(`Input "tag-prefix" must be the start of a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]*), got "${inputs.tagPrefix}"`);
    }
    for (const line of fullReferenceLines(inputs.tags)) {
        warn(`Input "tags": line "${line.source}" looks like a full image reference (read as type=raw, as metadata-action does, it gives the tag "${line.tag}"); put the name in images: and the tag in tags:`);
    }
    // Preset flavor, then the `flavor` input, then the image's own flavor= (later lines win).
    const flavorFor = (extra, after = []) => parseFlavor([...extra, ...inputs.flavor, ...after]);
    const tagSet = (rules, flavor, input = 'tags') => {
        const parsed = parseTagRules(rules, input);
        // First, so it is the version (VERSION, the version label) and every rule's tags still follow.
        if (customRule)
            parsed.unshift(customRule);
        const version = computeVersion({
            ctx,
            rules: parsed,
            flavor,
            exp,
            defaultBranch: env.repo.defaultBranch,
            shortShaLength: env.switches.shortShaLength,
            warn
        });
        const names = [];
        let latestName;
        if (version.main) {
            names.push(version.main, ...version.partial);
            if (version.latest) {
                const latest = `${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`;
                latestName = sanitizeTag(latest, 'flavor latest', warn, 'flavor');
                if (latestName !== undefined)
                    names.push(latestName);
            }
        }
        let out = { version, names, latestName };
        if (inputs.tagPrefix) {
            // The environment prefix goes on every tag, after the rules (whose own prefix= would
            // otherwise replace a flavor prefix); the version output stays the software version.
            const prefixed = names.map(n => `${inputs.tagPrefix}${n}`);
            prefixed.forEach(t => assertTag(t, 'tag-prefix'));
            out = { version, names: prefixed, latestName: latestName && `${inputs.tagPrefix}${latestName}` };
        }
        if (flavor.latest === 'highest' && out.latestName !== undefined) {
            const prefix = `${inputs.tagPrefix}${exp.render(flavor.prefix, { input: 'flavor', entry: `prefix=${flavor.prefix}` })}`;
            const suffix = exp.render(flavor.suffix, { input: 'flavor', entry: `suffix=${flavor.suffix}` });
            const release = runRelease(out.names.filter(n => n !== out.latestName), prefix, suffix);
            if (release) {
                out.latestGuard = { tag: out.latestName, version: release, prefix, suffix };
            }
            else {
                warn(`flavor latest=highest: no tag of this run (${out.names.join(', ')}) is an X.Y.Z release to compare, so "${out.latestName}" is kept as latest=auto would`);
            }
        }
        return out;
    };
    // The run's rules: the `tags` input, else the `tag-preset`; an image may bring its own.
    const fromPreset = inputs.tags.length === 0 && inputs.tagPreset !== '';
    const mainRules = fromPreset
        ? getPreset(inputs.tagPreset, 'tag-preset')
        : { tags: inputs.tags, flavor: [] };
    const main = tagSet(mainRules.tags, flavorFor(mainRules.flavor), fromPreset ? 'tag-preset' : 'tags');
    const images = [];
    for (const entry of parseImages(inputs.images)) {
        if (!entry.enable)
            continue;
        let set = main;
        if (entry.tags) {
            set = tagSet(entry.tags, flavorFor([], entry.flavor), 'images');
        }
        else if (entry.preset) {
            const preset = getPreset(entry.preset, 'images');
            set = tagSet(preset.tags, flavorFor(preset.flavor, entry.flavor), 'images');
        }
        else if (entry.flavor) {
            set = tagSet(mainRules.tags, flavorFor(mainRules.flavor, entry.flavor), 'images');
        }
        const archTags = {};
        if (inputs.archTags) {
            for (const platform of inputs.platforms) {
                archTags[platform] = set.names
                    .filter(name => name !== set.latestName)
                    .map(name => `${name}-${archSuffix(platform)}`);
                archTags[platform].forEach(tag => assertTag(tag, 'arch-tags'));
            }
        }
        images.push({
            ...parseImageName(entry.name),
            tags: set.names,
            archTags,
            ...(set.latestGuard ? { latestGuard: set.latestGuard } : {})
        });
    }
    const tags = [];
    if (images.length > 0) {
        for (const image of images)
            tags.push(...image.tags.map(t => `${image.name}:${t}`));
    }
    else {
        tags.push(...main.names);
    }
    const own = (template) => exp.render(template, { input: 'build-args', entry: template });
    const templateVars = {
        version: main.version.main ?? '',
        created: env.created.toISOString(),
        commit_sha: ctx.sha,
        sha: own('{{sha}}'),
        branch: own('{{branch}}'),
        tag: own('{{tag}}'),
        base_ref: own('{{base_ref}}')
    };
    // Only the values metadata-action does not have reach the label templates: its own helpers
    // (sha, branch, date ...) stay as they are.
    const labelVars = { version: templateVars.version, created: templateVars.created, commit_sha: ctx.sha };
    const labels = ociAnnotations(env.repo, main.version, ctx.sha, env.created, inputs.labels, exp, {
        auto: inputs.autoLabels,
        vars: labelVars,
        input: 'labels'
    });
    const rawAnnotations = ociAnnotations(env.repo, main.version, ctx.sha, env.created, inputs.annotations, exp, {
        auto: inputs.autoAnnotations,
        vars: labelVars,
        input: 'annotations'
    });
    const annotationLevels = (env.switches.annotationLevels || 'manifest').split(',');
    const annotations = annotationLevels.flatMap(level => rawAnnotations.map(a => `${level}:${a}`));
    return {
        version: main.version,
        tags,
        tagNames: main.names,
        labels,
        annotations,
        annotationLevels,
        json: { tags, 'tag-names': main.names, labels: toRecord(labels), annotations },
        images,
        buildArgs: {
            VERSION: main.version.main ?? '',
            COMMIT_SHA: ctx.sha,
            BUILD_DATE: env.created.toISOString()
        },
        templateVars,
        warnings
    };
}

;// CONCATENATED MODULE: ./src/supply/severity.ts
/** Most severe first: array order is the ranking everywhere (gate, SARIF, summaries). */
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
function isSeverity(s) {
    return typeof s === 'string' && SEVERITIES.includes(s);
}
/** 0 for CRITICAL … 4 for UNKNOWN: sorts most severe first. */
function severityRank(s) {
    return SEVERITIES.indexOf(s);
}
/** Per severity the lower of two maxima (inputs vs policy, one registry vs another). */
function stricterMax(a, b) {
    const max = {};
    for (const s of SEVERITIES) {
        const vals = [a[s], b[s]].filter((v) => v !== undefined);
        if (vals.length)
            max[s] = Math.min(...vals);
    }
    return max;
}
function zeroCounts() {
    return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

;// CONCATENATED MODULE: ./src/policy/decide.ts





/**
 * The entry whose `match` is the longest prefix of the image's canonical name (reference.ts), so
 * every spelling of one image (`acme/app`, `index.docker.io/acme/app`, …) binds to the same entry;
 * undefined when none matches. Case is ignored (the images input is lowercased). An invalid name
 * throws: binding it to no entry would let it through unchecked.
 */
function ruleFor(policy, imageName) {
    const name = canonicalName(imageName.trim().toLowerCase());
    let best;
    for (const [env, rule] of Object.entries(policy.registries)) {
        for (const prefix of rule.match) {
            if (name.startsWith(prefix) && prefix.length > (best?.prefix?.length ?? -1))
                best = { name: env, rule, prefix };
        }
    }
    return best;
}
function prefixOf(env, image) {
    if (env.prefix)
        return env.prefix;
    const name = canonicalName(image.trim().toLowerCase());
    const matching = env.rule.match.filter(p => name.startsWith(p)).sort((a, b) => b.length - a.length);
    return matching[0] ?? env.rule.match.join(', ');
}
/** One message per refused tag; forbid is checked first because it names the exact pattern hit. */
function checkTags(env, image, tags) {
    const who = `policy "${env.name}" (${prefixOf(env, image)})`;
    const { allow, forbid } = env.rule.tags;
    const refusals = [];
    for (const tag of tags) {
        const hit = firstMatch(forbid, tag);
        if (hit) {
            refusals.push(`${who} forbids tag "${tag}" of ${image}: matches forbid pattern "${hit.source}"`);
        }
        else if (allow && !firstMatch(allow, tag)) {
            refusals.push(`${who}: tag "${tag}" of ${image} is not allowed: it matches none of ${allow.map(p => p.source).join(', ')}`);
        }
    }
    return refusals;
}
/**
 * What `config.User` says: root, a uid, or a name. A name counts by the uid the image's /etc/passwd
 * gives it (resolvedUser); without that lookup a name is non-root with no known uid.
 */
function userOf(f) {
    const who = f.user.trim().split(':')[0];
    if (who === '' || who === 'root')
        return { root: true };
    if (/^\d+$/.test(who))
        return { root: Number(who) === 0, uid: Number(who) };
    const r = f.resolvedUser;
    if (r?.uid !== undefined)
        return { root: r.uid === 0, uid: r.uid, source: r.source };
    return { root: false, ...(r ? { source: r.source } : {}) };
}
/** Refusals for the pushed image config, one per broken rule and platform. */
function checkImage(env, image, facts) {
    const req = env.rule.require;
    const refusals = [];
    const uids = req.uids;
    const needs = `the policy requires non-root${uids ? ` (uids ${uids.join(', ')})` : ''}`;
    for (const f of facts) {
        const at = `policy "${env.name}": ${image} ${f.platform}`;
        const user = userOf(f);
        const found = (f.user.trim() === '' ? 'config.User is empty' : `config.User is "${f.user}"`) +
            (user.source ? `, ${user.source}` : '');
        if (req.nonRoot || uids) {
            if (user.root) {
                refusals.push(`${at} runs as root (${found}); ${needs}`);
            }
            else if (uids && user.uid === undefined) {
                refusals.push(`${at} runs as user "${f.user.trim().split(':')[0]}" (${found}), a name whose uid the image does not give; ` +
                    `${needs}: add the user to the image's /etc/passwd or give USER a numeric uid, e.g. USER ${uids[0]}`);
            }
            else if (uids && user.uid !== undefined && !uids.includes(user.uid)) {
                refusals.push(`${at} runs as uid ${user.uid} (${found}); ${needs}`);
            }
        }
        const missing = req.labels.filter(key => !f.labels[key]);
        if (missing.length > 0) {
            refusals.push(`${at} lacks label${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (no value in config.Labels); ` +
                `the policy requires labels ${req.labels.join(', ')}`);
        }
        // An expiry label travels with the digest (promotion copies it): Quay would expire the tags.
        const expiry = f.labels[EXPIRY_LABEL];
        if (env.rule.immutable && expiry) {
            refusals.push(`${at} carries ${EXPIRY_LABEL}=${expiry}; an immutable registry must not receive an image that Quay will expire (build it without the label)`);
        }
        if (req.maxSize && f.compressedSize > req.maxSize.bytes) {
            refusals.push(`${at} is ${formatSize(f.compressedSize, req.maxSize.text)} compressed (${f.compressedSize} bytes); ` +
                `the policy allows at most ${req.maxSize.text} per platform`);
        }
    }
    return refusals;
}
/**
 * The scan gate a run must pass: for each severity the lowest maximum any touched registry sets.
 * Unfixed findings are ignored only when every registry that gates on a scan says so.
 */
function requiredGate(rules) {
    const scans = rules.flatMap(r => (r.require.scan ? [r.require.scan] : []));
    const max = scans.reduce((m, scan) => stricterMax(m, scan.max), {});
    return { max, ignoreUnfixed: scans.length > 0 && scans.every(s => s.ignoreUnfixed) };
}
function requiresSignature(rules) {
    return rules.some(r => r.require.signature);
}
/** A rule's signature requirement for a run writing these tags (`signature: {tags}` narrows it). */
function signatureRequiredFor(rule, tags) {
    if (!rule.require.signature)
        return false;
    const only = rule.require.signatureTags;
    return !only || tags.some(t => firstMatch(only, t) !== undefined);
}
/**
 * The policy decides where a promoted image's signature comes from. An entry with
 * `signature: {at: promotion}` accepts an unsigned source and the promotion signs; any other entry
 * that requires a signature (or no policy signature at all) keeps the source check, and then the
 * carried signature is verified unless `resign`. Whatever is chosen, the sign stage verifies the
 * target before a tag exists.
 */
function promotionSigning(required, signing, resign) {
    if (!signing)
        return { verifySource: false, sign: false, reason: 'no signing key: signatures are neither checked nor made' };
    const atPromotion = required.filter(b => b.rule.require.signatureAt === 'promotion');
    const atSource = required.filter(b => b.rule.require.signatureAt !== 'promotion');
    if (atPromotion.length > 0 && atSource.length === 0) {
        return {
            verifySource: false,
            sign: true,
            reason: `policy "${atPromotion[0].env}" signs at promotion: the source need not be signed`
        };
    }
    const why = atSource.length > 0 ? `policy "${atSource[0].env}" requires a signed source` : 'the source is signed';
    return { verifySource: true, sign: resign, reason: resign ? `${why}; resign: true signs again` : why };
}
function requiresSbom(rules) {
    return rules.some(r => r.require.sbom);
}
/** For an immutable registry: a tag may be created, or re-pushed with the same digest, never moved. */
function immutabilityDecision(tag, existing, next) {
    if (existing === undefined)
        return 'create';
    if (existing === next)
        return 'same';
    return {
        refuse: `tag ${tag} is immutable and already points to ${existing}; refusing to move it to ${next} ` +
            '(publish under a new version tag instead)'
    };
}
const EXPIRY_LABEL = 'quay.expires-after';
const HOURS = { h: 1, d: 24, w: 168 };
const hours = (d) => Number(d.slice(0, -1)) * HOURS[d.slice(-1)];
/**
 * `quay.expires-after` when every touched registry sets an expiry (the longest one wins).
 * Labels are baked into the one image pushed everywhere, so a single registry that keeps its
 * images means no expiry at all: Quay would otherwise delete tags meant to stay.
 */
function expiryLabels(rules) {
    const expiries = rules.map(r => r.expiresAfter);
    if (expiries.length === 0 || expiries.some(e => e === undefined))
        return {};
    const longest = expiries.reduce((a, b) => (hours(b) > hours(a) ? b : a));
    return { [EXPIRY_LABEL]: longest };
}
/**
 * Before a build: the planned tags of an immutable registry that exist already. All index tags at
 * one digest built from this very commit → a re-run of the same release (nothing to build); any
 * other existing tag → refuse now, before anything is pushed.
 */
function rerunDecision(existing, revisionOf, sha) {
    if (existing.length === 0)
        return {};
    const indexDigests = [...new Set(existing.filter(e => !e.op.platform).map(e => e.existing))];
    if (indexDigests.length === 1 && revisionOf[indexDigests[0]] === sha)
        return { rerun: indexDigests[0] };
    const lines = existing.map(e => `${e.op.image}:${e.op.tag} already points at ${e.existing}` +
        (revisionOf[e.existing] ? ` (built from ${revisionOf[e.existing].slice(0, 12)})` : ''));
    return {
        refuse: `the policy makes these tags immutable and this run (commit ${sha.slice(0, 12)}) would overwrite them; ` +
            `nothing was built or pushed:\n- ${lines.join('\n- ')}`
    };
}
/** A promotion must not move an immutable tag: every existing one must already point at the source digest. */
function promotionRefusal(existing) {
    const overwrites = existing.filter(e => e.existing !== e.op.digest);
    if (overwrites.length === 0)
        return undefined;
    return `the policy makes these tags immutable, nothing was copied or tagged:\n- ${overwrites
        .map(e => `${e.op.image}:${e.op.tag} points at ${e.existing}, not at ${e.op.digest}`)
        .join('\n- ')}`;
}
/** At tag time: which tags to write, which are in place; a refusal when an immutable tag would move. */
function tagDecisions(ops, existing) {
    const write = [];
    const unchanged = [];
    const refusals = [];
    for (const op of ops) {
        const d = existing.has(op) ? immutabilityDecision(`${op.image}:${op.tag}`, existing.get(op), op.digest) : 'create';
        if (d === 'same')
            unchanged.push(op);
        else if (d === 'create')
            write.push(op);
        else
            refusals.push(d.refuse);
    }
    return {
        write,
        unchanged,
        ...(refusals.length > 0 ? { refuse: `immutable tags, nothing was tagged:\n- ${refusals.join('\n- ')}` } : {})
    };
}

;// CONCATENATED MODULE: ./src/supply/cosign-types.ts
// Signing types and key-reference tests shared by the cosign modules (no imports, so no cycles).
/** Key references cosign resolves itself (its `--key` help lists these). */
const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://'];
const isKmsRef = (s) => KMS_SCHEMES.some(p => s.startsWith(p));
const isPem = (s) => /-----BEGIN [A-Z0-9 ]+-----/.test(s);

;// CONCATENATED MODULE: ./src/supply/cosign-config.ts
// Signing settings from the action inputs: which cosign mode, which key or identity, which format.
// Pure: the environment comes in as a plain record, so the OIDC check is testable without a runner.
// The argv builders live in cosign-args.ts and are re-exported here, callers import one module.


const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
function formatFrom(raw) {
    const v = raw.trim() || 'default';
    if (v === 'default' || v === 'bundle' || v === 'legacy')
        return v;
    throw new Error(`Input "signature-format" must be default, bundle or legacy, got "${raw}"`);
}
function publicKeyFrom(raw) {
    const v = raw.trim();
    if (!v)
        return undefined;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !isKmsRef(v)) {
        throw new Error(`Input "cosign-public-key": unknown key reference "${v.split('://')[0]}://" (use PEM content, a file path or ${KMS_SCHEMES.join(', ')})`);
    }
    return v;
}
/**
 * undefined: signing is off (neither cosign-key nor keyless). Errors name the input to fix. Only the
 * structure is checked here (the plan, so a dry-run refuses what a real run refuses); the password
 * is added by materializeKey and the OIDC token is checked by assertOidcToken, at the real run.
 */
function signConfigFrom(i, env) {
    const key = i.key.trim();
    if (key && i.keyless) {
        throw new Error('Inputs "cosign-key" and "keyless" exclude each other: sign with a key or KMS reference, or keyless');
    }
    if (!key && !i.keyless)
        return undefined;
    const common = {
        tlogUpload: i.tlogUpload,
        recursive: i.recursive,
        signatureFormat: formatFrom(i.signatureFormat),
        allowInsecureRegistry: i.insecureRegistry ?? false
    };
    if (i.keyless)
        return keylessConfig(i, env, common);
    for (const [name, value] of [
        ['certificate-identity', i.certificateIdentity],
        ['certificate-oidc-issuer', i.certificateOidcIssuer]
    ]) {
        if (value.trim()) {
            throw new Error(`Input "${name}" applies only with keyless: true (a key signature carries no certificate)`);
        }
    }
    const publicKey = publicKeyFrom(i.publicKey);
    if (isKmsRef(key))
        return { mode: 'kms', key, ...(publicKey ? { publicKey } : {}), ...common };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key)) {
        throw new Error(`Input "cosign-key": unknown key reference "${key.split('://')[0]}://" (use PEM content, a file path or ${KMS_SCHEMES.join(', ')})`);
    }
    if (isPem(key) && /-----BEGIN PUBLIC KEY-----/.test(key)) {
        throw new Error('Input "cosign-key" holds a public key: give the private key (the public one goes to cosign-public-key)');
    }
    return {
        mode: 'key',
        // PEM content stays out of the config: materializeKey writes it to a private file.
        ...(isPem(key) ? {} : { key }),
        ...(publicKey ? { publicKey } : {}),
        ...common
    };
}
const hasGithubOidc = (env) => Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
/** Keyless signing needs an OIDC token now; without one cosign waits for an interactive login until it times out. */
function assertOidcToken(env) {
    if (hasGithubOidc(env) || env.SIGSTORE_ID_TOKEN)
        return;
    throw new Error('Input "keyless": this job gets no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
        'Add `permissions: id-token: write` to the job (or the workflow). Pull requests from forks never get a token: ' +
        'sign on push or release, or use cosign-key.');
}
function keylessConfig(i, env, common) {
    const githubOidc = hasGithubOidc(env);
    if (i.publicKey.trim()) {
        throw new Error('Input "cosign-public-key" applies to key or KMS signing; keyless signatures are checked by certificate-identity and certificate-oidc-issuer');
    }
    if (!i.tlogUpload) {
        // The Fulcio certificate lives 10 minutes; only the log entry proves the signature was made within them.
        throw new Error('Input "tlog-upload": keyless signatures need the transparency log (without it they stop verifying when the 10-minute certificate expires); sign with cosign-key to skip the log');
    }
    const identity = i.certificateIdentity.trim() ||
        (env.GITHUB_WORKFLOW_REF ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_WORKFLOW_REF}` : '');
    if (!identity) {
        throw new Error('Input "certificate-identity" is required for keyless signing outside GitHub Actions');
    }
    const issuer = i.certificateOidcIssuer.trim() || (githubOidc || env.GITHUB_ACTIONS === 'true' ? GITHUB_OIDC_ISSUER : '');
    if (!issuer) {
        throw new Error('Input "certificate-oidc-issuer" is required when the OIDC token comes from SIGSTORE_ID_TOKEN');
    }
    return {
        mode: 'keyless',
        ...(identity.startsWith('^') ? { certificateIdentityRegexp: identity } : { certificateIdentity: identity }),
        certificateOidcIssuer: issuer,
        ...common
    };
}
/** The flags used here are cosign v3's (v2 lacks --use-signing-config and defaults to the legacy format). */
function assertCosignV3(version) {
    const major = /^v?(\d+)\./.exec(version.trim())?.[1];
    if (major === undefined || Number(major) < 3) {
        throw new Error(`cosign ${version} is not supported: signing needs cosign v3 (input cosign-version)`);
    }
}


;// CONCATENATED MODULE: ./src/plan/attest-input.ts
// The `provenance` and `sbom` inputs, checked in the plan against what build-push-action passes on
// and BuildKit reads (frontend/attestations/parse.go splits the value into `key=value` fields; the
// provenance processor reads mode, builder-id, version, inline-only, reproducible, filename; the SBOM
// one reads generator; both honour disabled). BuildKit keeps a field it does not know and ignores it
// (`mode=maximum` and `max` both give a min-mode provenance without a word), so a typo is refused
// here, before any login, naming the input, the field and the rule.

/** Go's strconv.ParseBool spellings, which buildx and BuildKit accept for boolean attributes. */
const GO_BOOL = new Set(['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False']);
const attest_input_bool = v => (GO_BOOL.has(v) ? undefined : 'must be true or false');
const nonEmpty = v => (v.trim() === '' ? 'is empty' : undefined);
const PROVENANCE = {
    mode: v => (v === 'min' || v === 'max' ? undefined : 'must be min or max'),
    'builder-id': v => nonEmpty(v) ?? (/\s/.test(v) ? 'holds a space' : undefined),
    version: v => (v === 'v0.2' || v === 'v1' ? undefined : 'must be v0.2 or v1 (the SLSA provenance schema)'),
    'inline-only': attest_input_bool,
    reproducible: attest_input_bool,
    disabled: attest_input_bool,
    filename: nonEmpty
};
const SBOM = {
    generator: v => {
        try {
            parseReference(v);
            return undefined;
        }
        catch (err) {
            return `is not an image reference (${err.message.replace(/^Invalid image reference "[^"]*": /, '')})`;
        }
    },
    disabled: attest_input_bool
};
const attest_input_short = (s) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);
/** Throws `Input "<name>": …` for a value BuildKit would misread or ignore; '' (the default) passes. */
function checkAttestInput(name, value) {
    const v = value.trim();
    if (v === '' || GO_BOOL.has(v))
        return;
    const rules = name === 'provenance' ? PROVENANCE : SBOM;
    const known = Object.keys(rules).join(', ');
    const fail = (why) => {
        throw new Error(`Input "${name}": ${why}; write true, false or ${name === 'provenance' ? 'mode=max,…' : 'generator=<image>,…'} (attributes: ${known})`);
    };
    // BuildKit reads the value as one CSV record; quoting is never needed for these attributes.
    if (/["\n\r]/.test(v))
        fail(`"${attest_input_short(v)}" holds a quote or a line break`);
    const seen = new Set();
    for (const raw of v.split(',')) {
        const field = raw.trim();
        if (field === '')
            fail(`"${attest_input_short(v)}" has an empty field`);
        // actions-toolkit turns a bare true/false field into disabled=…
        if (GO_BOOL.has(field))
            continue;
        const eq = field.indexOf('=');
        if (eq < 0)
            fail(`field "${attest_input_short(field)}" is not key=value`);
        const key = field.slice(0, eq).trim();
        const val = field.slice(eq + 1).trim();
        if (key === 'type')
            fail(`field "${attest_input_short(field)}": the type is set by the input's name, leave type= out`);
        const rule = rules[key];
        if (!rule)
            fail(`unknown attribute "${attest_input_short(key)}"`);
        if (seen.has(key))
            fail(`attribute "${key}" is given twice`);
        seen.add(key);
        const why = rule(val);
        if (why)
            fail(`attribute ${key} "${attest_input_short(val)}" ${why}`);
    }
}

;// CONCATENATED MODULE: ./src/plan/build.ts

/**
 * `{{name}}` in a build-arg value → the plan's value of that name (meta `templateVars`: version,
 * created, sha, commit_sha, branch, tag, base_ref). Anything else between braces stays as written:
 * build-push-action passes values verbatim, and a value such as `{{.Version}}` (a Go template for
 * the build itself) must reach the build unchanged.
 */
function renderBuildArg(value, vars) {
    return value.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name) => Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : whole);
}
/**
 * `KEY=value` lines; a later line wins, and user values win over the computed VERSION/COMMIT_SHA/BUILD_DATE.
 * Values may name the plan's own values (renderBuildArg), so one step needs no metadata step before it.
 */
function mergeBuildArgs(computed, lines, vars = {}) {
    const out = { ...computed };
    for (const line of lines) {
        const i = line.indexOf('=');
        if (i <= 0)
            throw new Error(`Input "build-args": "${line}" is not KEY=value`);
        out[line.slice(0, i)] = renderBuildArg(line.slice(i + 1), vars);
    }
    return out;
}
/** Go's strconv.ParseBool, which buildx applies to a bare attestation attribute. */
function goBool(s) {
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s))
        return true;
    if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s))
        return false;
    return undefined;
}
/** actions-toolkit `resolveAttestationAttrs`: a bare true/false attribute becomes `disabled=`. */
function attestationAttrs(attrs) {
    return attrs
        .split(',')
        .map(a => a.trim())
        .filter(Boolean)
        .map(a => {
        const b = goBool(a);
        return b === undefined ? a : `disabled=${!b}`;
    })
        .join(',');
}
/** GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID/attempts/N; '' outside a workflow run. */
function runUrl(vars) {
    if (!vars.GITHUB_REPOSITORY || !vars.GITHUB_RUN_ID)
        return '';
    const server = (vars.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    return `${server}/${vars.GITHUB_REPOSITORY}/actions/runs/${vars.GITHUB_RUN_ID}/attempts/${vars.GITHUB_RUN_ATTEMPT || '1'}`;
}
function withBuilderId(attrs, url) {
    if (!url || attrs.split(',').some(f => f.split('=')[0].trim() === 'builder-id'))
        return attrs;
    return attrs ? `${attrs},builder-id=${url}` : `builder-id=${url}`;
}
/**
 * The `--attest` value of the provenance attestation, by build-push-action's rules (context.ts
 * getAttestArgs + actions-toolkit getProvenanceInput/resolveProvenanceAttrs): no input → mode=max
 * for a public repository, `mode=min,inline-only=true` for a private one (buildx's own default),
 * BUILDX_NO_DEFAULT_ATTESTATIONS turning the default off; `true` → builder id only; `false` →
 * disabled; anything else as given with the builder id added when missing. '' = no flag at all.
 * Only buildx attests; buildah/podman get ''.
 */
function resolveProvenance(input, engine, env) {
    if (engine !== 'buildx')
        return '';
    const url = runUrl(env.vars);
    if (!input) {
        const off = env.vars.BUILDX_NO_DEFAULT_ATTESTATIONS;
        if (off && goBool(off) !== false)
            return '';
        const mode = env.private ? 'mode=min,inline-only=true' : 'mode=max';
        return `type=provenance,${withBuilderId(mode, url)}`;
    }
    if (/^(true|True|TRUE)$/.test(input))
        return `type=provenance,${withBuilderId('', url)}`.replace(/,$/, '');
    if (/^(false|False|FALSE)$/.test(input))
        return 'type=provenance,disabled=true';
    return attestationAttrs(`type=provenance,${withBuilderId(input, url)}`);
}
/** The `--attest` value of the SBOM attestation (`sbom: true`, `false` or attributes); '' = none. */
function resolveSbom(input, engine) {
    if (engine !== 'buildx' || !input)
        return '';
    return attestationAttrs(`type=sbom,${input}`);
}
const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;
/** A `type=gha` cache entry (buildx's GitHub Actions cache backend). */
const isGhaCache = (entry) => entry.split(',').some(f => f.trim().replace(/\s+/g, '') === 'type=gha');
/** What buildah/podman cannot do that build-push-action users bring along, refused by input name. */
function checkEngineInputs(inputs, vars) {
    const gha = [
        ...inputs.cacheFrom.filter(isGhaCache).map(() => 'cache-from'),
        ...inputs.cacheTo.filter(isGhaCache).map(() => 'cache-to')
    ];
    if (inputs.engine !== 'buildx') {
        if (REMOTE_CONTEXT.test(inputs.context)) {
            throw new Error(`Input "context": "${inputs.context}" is a remote (git or URL) context; engine: ${inputs.engine} builds a local directory only — check the repository out (actions/checkout) and give its path, or use engine: buildx`);
        }
        if (gha.length > 0) {
            throw new Error(`Input "${gha[0]}": type=gha is buildx's GitHub Actions cache; engine: ${inputs.engine} caches to a registry repository (cache-from: registry/repo)`);
        }
        return;
    }
    if (gha.length > 0 && !(vars.ACTIONS_RUNTIME_TOKEN && (vars.ACTIONS_CACHE_URL || vars.ACTIONS_RESULTS_URL))) {
        throw new Error(`Input "${gha[0]}": type=gha needs ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL, which GitHub gives JavaScript actions; outside a workflow job use type=registry or type=local`);
    }
}
function buildPlan(inputs, computedArgs, vars = {}, attest = { vars: {} }) {
    checkEngineInputs(inputs, attest.vars);
    // Checked for every engine: only buildx attests, but a typo must not wait for a switch to buildx.
    checkAttestInput('provenance', inputs.provenance);
    checkAttestInput('sbom', inputs.sbom);
    const auto = inputs.autoBuildArgs === 'false' ? {} : computedArgs;
    const userKeys = new Set(inputs.buildArgs.map(l => l.slice(0, Math.max(0, l.indexOf('=')))));
    return {
        engine: inputs.engine,
        context: inputs.context,
        file: inputs.file,
        target: inputs.target,
        buildArgs: mergeBuildArgs(auto, inputs.buildArgs, vars),
        autoArgs: Object.keys(auto).filter(k => !userKeys.has(k)),
        warnAutoArgs: inputs.autoBuildArgs === 'auto',
        secrets: inputs.secrets,
        cacheFrom: inputs.cacheFrom,
        cacheTo: inputs.cacheTo,
        provenance: resolveProvenance(inputs.provenance, inputs.engine, attest),
        sbom: resolveSbom(inputs.sbom, inputs.engine),
        pull: inputs.pull,
        noCache: inputs.noCache,
        builder: {
            name: inputs.builder,
            driver: inputs.builderDriver,
            endpoint: inputs.builderEndpoint,
            driverOpts: inputs.builderDriverOpts,
            configFile: inputs.buildkitdConfig,
            keep: inputs.keepBuilder
        },
        binfmtImage: inputs.binfmtImage,
        engineFlags: inputs.engineFlags,
        isolation: inputs.isolation,
        insecureRegistries: inputs.insecureRegistries
    };
}

;// CONCATENATED MODULE: ./src/plan/merge-sources.ts



/** One `digests` line of a merge run: `image@sha256:…` or a bare digest of the first image. */
function parseMergeSources(lines, images) {
    if (lines.length === 0) {
        throw new Error('Input "digests" is required with mode: merge (the digest outputs of the build runs, one per line)');
    }
    // Compared by canonical name (`acme/app` is `docker.io/acme/app`); the image is returned as the run spells it.
    const canonical = images.map(i => canonicalName(i));
    const DIGEST = /^sha256:[a-f0-9]{64}$/;
    return lines.map(line => {
        // Checked before the reference grammar, whose own message would not say what a digest looks like.
        const digestPart = line.includes('@')
            ? line.slice(line.lastIndexOf('@') + 1)
            : /^[a-z0-9]+:/.test(line)
                ? line
                : '';
        if (digestPart && !DIGEST.test(digestPart)) {
            throw new Error(`Input "digests": line "${excerpt(line)}": "${excerpt(digestPart)}" is not a digest; a digest is sha256: and 64 lowercase hex characters`);
        }
        if (DIGEST.test(line)) {
            if (images.length === 0) {
                throw new Error(`Input "digests": line "${line}": a bare digest needs an image in "images"`);
            }
            return { image: images[0], digest: line };
        }
        let ref;
        try {
            ref = parseReference(line);
        }
        catch (err) {
            throw new Error(`Input "digests": ${(0,errors/* errorText */.k)(err)}`);
        }
        if (!ref.digest) {
            throw new Error(`Input "digests": "${excerpt(line)}" is not image@sha256:<hex> or sha256:<hex>`);
        }
        const at = canonical.indexOf(`${ref.registry}/${ref.repository}`);
        if (at < 0) {
            throw new Error(`Input "digests": "${excerpt(line)}" is not one of the images of this run (${images.join(', ')})`);
        }
        return { image: images[at], digest: ref.digest };
    });
}

;// CONCATENATED MODULE: ./src/plan/handover.ts


/**
 * Distributed builds hand their digests to the merge run as workflow artifacts (docker's own
 * multi-platform guide does the same), so a matrix of `mode: build` jobs needs no unrolling.
 * Name: `image-publish-digests-<run attempt>-<image hash>-<platforms>`. The hash is over the
 * image names only (build and merge jobs share `images`; tags may be given to the merge job alone).
 * The attempt keeps a re-run from colliding with the artifact of an earlier attempt (artifact
 * names are unique per workflow run); the merge run takes the newest attempt per platform.
 */
const ARTIFACT_PREFIX = 'image-publish-digests-';
function imagesKey(images) {
    const names = [...new Set(images.map(i => canonicalName(i)))].sort();
    return (0,external_node_crypto_.createHash)('sha256').update(names.join('\n')).digest('hex').slice(0, 12);
}
/** Artifact names may not hold `/` (nor `" : < > | * ? \\`): linux/arm/v7 → linux-arm-v7. */
const platformsKey = (platforms) => platforms.map(p => p.replace(/[/\\":<>|*?\s]/g, '-')).join('_');
function artifactName(images, platforms, attempt) {
    return `${ARTIFACT_PREFIX}${attempt}-${imagesKey(images)}-${platformsKey(platforms)}`;
}
/** The artifacts a merge run takes: those of its images, the newest attempt of each platform set. */
function pickArtifacts(names, key) {
    const newest = new Map();
    const re = new RegExp(`^${ARTIFACT_PREFIX}(\\d+)-${key}-(.+)$`);
    for (const name of names) {
        const m = re.exec(name);
        if (!m)
            continue;
        const attempt = Number(m[1]);
        const seen = newest.get(m[2]);
        if (!seen || seen.attempt < attempt)
            newest.set(m[2], { attempt, name });
    }
    return [...newest.values()].map(v => v.name).sort();
}
/** The record a build run writes (JSON), checked when the merge run reads it back. */
function parseDigestRecord(text, from) {
    let r;
    try {
        r = JSON.parse(text);
    }
    catch {
        throw new Error(`artifact ${from}: not a digest record (invalid JSON)`);
    }
    if (typeof r.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(r.digest)) {
        throw new Error(`artifact ${from}: no sha256 digest in the record`);
    }
    return {
        digest: r.digest,
        platforms: Array.isArray(r.platforms) ? r.platforms.map(String) : [],
        images: Array.isArray(r.images) ? r.images.map(String) : []
    };
}
/** Artifacts exist only inside a GitHub Actions job (or act) that has the runtime token and results URL. */
const artifactServiceAvailable = (vars) => Boolean(vars.ACTIONS_RUNTIME_TOKEN && vars.ACTIONS_RESULTS_URL);

;// CONCATENATED MODULE: ./src/plan/platforms.ts
// Target platforms: the form os/arch[/variant], a variant that exists for its architecture, and no
// platform twice under two spellings (buildx merges `linux/arm64` and `linux/arm64/v8` into one
// manifest, so the read-back would find fewer platforms than asked, after the push).
const platforms_OS = ['linux', 'windows', 'darwin', 'freebsd'];
/** Variants per architecture as containerd's platform matcher knows them; the first is the default. */
const VARIANTS = {
    arm64: ['v8', 'v9'],
    arm: ['v7', 'v6', 'v5'],
    amd64: ['v1', 'v2', 'v3', 'v4'],
    '386': [],
    ppc64le: [],
    s390x: [],
    riscv64: [],
    mips64le: [],
    loong64: []
};
/** `linux/arm64/v8` → `linux/arm64`, `linux/arm` → `linux/arm/v7`: containerd's normal form. */
function normalizePlatform(p) {
    const [os, arch, variant] = p.split('/');
    const def = VARIANTS[arch]?.[0];
    if (arch === 'arm')
        return `${os}/arm/${variant ?? 'v7'}`;
    if (variant && variant === def)
        return `${os}/${arch}`;
    return p;
}
function check(p) {
    const fail = (rule) => {
        throw new Error(`Input "platforms": "${p}" ${rule}`);
    };
    const parts = p.split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some(x => x === '')) {
        fail('is not a platform of the form os/arch[/variant] (e.g. linux/amd64, linux/arm64, linux/arm/v7)');
    }
    const [os, arch, variant] = parts;
    if (!platforms_OS.includes(os))
        fail(`has an unknown os "${os}" (one of ${platforms_OS.join(', ')})`);
    const variants = VARIANTS[arch];
    if (!variants)
        fail(`has an unknown architecture "${arch}" (one of ${Object.keys(VARIANTS).join(', ')})`);
    if (variant !== undefined && !variants.includes(variant)) {
        fail(variants.length === 0
            ? `has a variant "${variant}", but ${arch} has none`
            : `has a variant "${variant}" that ${arch} does not have (${variants.join(', ')})`);
    }
}
/** The platforms to build; the host's when none are given. */
function parsePlatforms(platforms, hostPlatform) {
    if (platforms.length === 0)
        return [hostPlatform];
    const seen = new Map();
    for (const p of platforms) {
        check(p);
        const normal = normalizePlatform(p);
        const other = seen.get(normal);
        if (other !== undefined) {
            throw new Error(other === p
                ? `Input "platforms": "${p}" is listed twice`
                : `Input "platforms": "${p}" and "${other}" are the same platform (buildx would build it once)`);
        }
        seen.set(normal, p);
    }
    return [...seen.values()];
}

;// CONCATENATED MODULE: ./src/plan/registries.ts

/** Every registry of the run with its login, and the credentials to log in with. */
function registryPlan(writes, reads, inputs, actor) {
    const all = [...new Set([...writes, ...reads])];
    const single = { registry: inputs.registry, username: inputs.username, password: inputs.password };
    const explicit = explicitCredentials(inputs.registryAuth, single);
    const fromSingle = single.registry.trim();
    const credentials = credentialsFor(all, explicit, { actor, token: inputs.githubToken });
    const registries = all.map(registry => {
        const c = credentials.find(x => x.registry === registry);
        const index = explicit.findIndex(x => x.registry === registry);
        const from = registry === fromSingle
            ? 'registry, username, password'
            : index >= 0
                ? `registry-auth entry ${index + (fromSingle ? 0 : 1)}`
                : 'github.actor + github-token';
        return {
            registry,
            insecure: inputs.insecureRegistries.includes(registry),
            write: writes.includes(registry),
            ...(c ? { login: { username: c.username, from } } : {})
        };
    });
    return { registries, credentials };
}

;// CONCATENATED MODULE: ./src/supply/gate.ts

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'unknown', 'none'];
/** `fail-on: high` → no HIGH and no CRITICAL allowed; `none` or empty → no threshold. */
function failOnToMax(level, inputName) {
    const v = level.trim().toLowerCase();
    if (v === '' || v === 'none')
        return {};
    if (!FAIL_ON.includes(v)) {
        throw new Error(`Input "${inputName}": "${level}" is not a severity; allowed: ${FAIL_ON.join(', ')}`);
    }
    const upTo = severityRank(v.toUpperCase());
    return Object.fromEntries(SEVERITIES.slice(0, upTo + 1).map(s => [s, 0]));
}
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Trivy IDs: CVE-…, GHSA-…, DLA-…, AVD-AWS-0001, RUSTSEC-…; a comma or quote means a typo.
const ID = /^[A-Za-z0-9][\w.:/+-]*$/;
function validDate(s) {
    const m = DATE.exec(s);
    if (!m)
        return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    // Date.UTC rolls 2024-02-30 over to March: a typo'd date must not silently move the expiry.
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}
/**
 * trivy's .trivyignore: one ID per line, `#` comments, optional `exp:YYYY-MM-DD`. Stricter than
 * trivy, which skips a line with a bad date with a warning: here a bad line is an error, because
 * a skipped line silently un-ignores (or a typo'd ID silently ignores nothing).
 */
function parseIgnoreFile(text, file) {
    const rules = [];
    text.split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const where = `${file}:${i + 1}`;
        const [id, ...rest] = line.split(/\s+/);
        if (!ID.test(id))
            throw new Error(`${where}: "${id}" is not a vulnerability ID`);
        const rule = { id };
        for (const tok of rest) {
            if (tok.startsWith('#'))
                break;
            if (tok.startsWith('exp:') && rule.expires === undefined) {
                const date = tok.slice(4);
                if (!validDate(date))
                    throw new Error(`${where}: "${tok}" is not exp:YYYY-MM-DD`);
                rule.expires = date;
                continue;
            }
            throw new Error(`${where}: unexpected "${tok}" (after the ID only exp:YYYY-MM-DD and a # comment may follow)`);
        }
        rules.push(rule);
    });
    return rules;
}
function activeRules(rules, now) {
    return rules.filter(r => r.expires === undefined || Date.parse(`${r.expires}T00:00:00Z`) > now.getTime());
}
function isIgnored(f, spec, rules) {
    if (spec.ignoreUnfixed && !f.fixed)
        return true;
    return rules.some(r => r.id === f.id && (r.pkg === undefined || r.pkg === f.pkg));
}
function count(findings) {
    const c = zeroCounts();
    for (const f of findings)
        c[f.severity]++;
    return c;
}
const MAX_IDS = 5;
function idList(findings) {
    const ids = [...new Set(findings.map(f => f.id))].sort();
    const shown = ids.slice(0, MAX_IDS).join(', ');
    return ids.length > MAX_IDS ? `${shown} and ${ids.length - MAX_IDS} more` : shown;
}
const byId = (a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0;
/** The verdict over every platform's findings; computed here, never from trivy's exit code. */
function evaluateGate(spec, perPlatform, now) {
    for (const [s, max] of Object.entries(spec.max)) {
        // `n > NaN` is always false: a bad maximum would pass everything.
        if (!Number.isInteger(max) || max < 0)
            throw new Error(`gate: max ${s} must be a whole number >= 0, got ${max}`);
    }
    const rules = activeRules(spec.ignore, now);
    const verdict = { pass: true, counts: {}, total: {}, ignored: {}, violations: [], top: [] };
    const counted = [];
    for (const [platform, findings] of Object.entries(perPlatform)) {
        const kept = findings.filter(f => !isIgnored(f, spec, rules));
        verdict.total[platform] = count(findings);
        verdict.counts[platform] = count(kept);
        verdict.ignored[platform] = findings.length - kept.length;
        for (const s of SEVERITIES) {
            const max = spec.max[s];
            const n = verdict.counts[platform][s];
            if (max !== undefined && n > max) {
                verdict.violations.push(`${platform}: ${n} ${s} (max ${max}): ${idList(kept.filter(f => f.severity === s))}`);
            }
        }
        counted.push(...kept.map(f => ({ ...f, platform })));
    }
    verdict.pass = verdict.violations.length === 0;
    // Stable sort: within a severity and id, the first platform given wins the dedup.
    const sorted = [...counted].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || byId(a, b));
    const seen = new Set();
    for (const f of sorted) {
        const key = `${f.id}\u0000${f.pkg}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        verdict.top.push(f);
        if (verdict.top.length === 10)
            break;
    }
    return verdict;
}

;// CONCATENATED MODULE: ./src/plan/supply.ts



const formatLimits = (max) => Object.entries(max)
    .map(([k, v]) => `${k}≤${v}`)
    .join(' ');
/** Scan, SBOM and signing: the inputs, made stricter by every policy entry the run touches. */
function supplyPlan(inputs, bindings, sign, tagsOf = () => [], pushes = true) {
    const rules = bindings.map(b => b.rule);
    const fromInputs = stricterMax(failOnToMax(inputs.scanFailOn, 'fail-on'), inputs.scanMax);
    const required = requiredGate(rules);
    const scanRequired = rules.some(r => r.require.scan !== undefined);
    const reasons = [];
    for (const b of bindings) {
        const req = b.rule.require;
        const what = [
            req.scan ? `a scan (${formatLimits(req.scan.max) || 'no limit'})` : '',
            signatureRequiredFor(b.rule, tagsOf(b.image))
                ? `a cosign signature${req.signatureAt === 'promotion' ? ' (made at promotion)' : ''}`
                : '',
            req.sbom ? 'an SBOM' : ''
        ].filter(Boolean);
        if (what.length > 0)
            reasons.push(`policy "${b.env}" requires ${what.join(', ')} for ${b.image}`);
    }
    // A run that pushes nothing (push: false) writes no signature either: nothing to require a key for.
    const signNeeded = bindings.filter(b => signatureRequiredFor(b.rule, tagsOf(b.image)));
    if (signNeeded.length > 0 && !sign && pushes) {
        throw new Error(`Input "cosign-key": policy "${signNeeded[0].env}" (${signNeeded[0].image}) requires a cosign signature: ` +
            'set cosign-key (with cosign-password) or keyless: true; nothing was built or pushed');
    }
    const scan = inputs.scan || scanRequired || Object.keys(fromInputs).length > 0;
    const sbomRequired = requiresSbom(rules);
    if (sbomRequired && inputs.sbomFormat === 'none') {
        throw new Error('Input "sbom-format": the policy requires an SBOM, so it cannot be none');
    }
    return {
        scan,
        gate: {
            max: stricterMax(fromInputs, required.max),
            // A policy scan that counts unfixed findings cannot be relaxed by the input.
            ignoreUnfixed: inputs.scanIgnoreUnfixed && (!scanRequired || required.ignoreUnfixed)
        },
        sbom: scan || sign || sbomRequired ? inputs.sbomFormat : 'none',
        sign,
        reasons
    };
}

;// CONCATENATED MODULE: ./src/plan/steps.ts

const NOT_PUSHED = 'built, not pushed';
/** push: false — the build, the optional scan and load, and the tags a push would make. */
function localSteps(plan, buildStep) {
    const { supply, images } = plan;
    const steps = [{ phase: 'build', what: `${buildStep} into a local OCI layout (${NOT_PUSHED})` }];
    if (plan.load)
        steps.push({ phase: 'build', what: `docker load ${plan.refs.join(', ') || '(no tags)'} (${NOT_PUSHED})` });
    if (supply.scan) {
        steps.push({
            phase: 'scan',
            what: `trivy per platform from the OCI layout, gate ${formatLimits(supply.gate.max) || 'no limit'}${supply.gate.ignoreUnfixed ? ' (unfixed ignored)' : ''}`
        });
    }
    if (supply.sbom !== 'none')
        steps.push({ phase: 'scan', what: `SBOM per platform (${supply.sbom})` });
    for (const image of images) {
        const arch = Object.values(image.archTags).flat();
        steps.push({
            phase: 'tag',
            what: `${image.name}: would tag ${[...image.tags, ...arch].join(', ') || '(no tags)'} (${NOT_PUSHED})`
        });
    }
    return steps;
}
/** The plan as the steps a person reads (dry-run log, summary): what will run, in order. */
function planSteps(plan) {
    const { images, platforms, hostPlatform, supply, source, build } = plan;
    const bindings = plan.policy?.bindings ?? [];
    const steps = [];
    const builds = plan.mode === 'publish' || plan.mode === 'build';
    if (builds) {
        const foreign = platforms.filter(p => p.split('/')[1] !== hostPlatform.split('/')[1]);
        if (foreign.length > 0)
            steps.push({ phase: 'setup', what: `QEMU emulation for ${foreign.join(', ')}` });
        steps.push({ phase: 'setup', what: `${build.engine} builder` });
    }
    for (const r of plan.registries) {
        steps.push({ phase: 'login', what: `${r.registry}${r.login ? ` as ${r.login.username} (${r.login.from})` : ''}` });
    }
    const buildStep = `${build.engine} build ${build.context}${build.file ? ` -f ${build.file}` : ''} for ${platforms.join(', ')}`;
    if (builds && !plan.push)
        return steps.concat(localSteps(plan, buildStep));
    if (builds) {
        steps.push({ phase: 'build', what: buildStep });
        for (const image of images)
            steps.push({ phase: 'push', what: `${image.name} by digest (no tag yet)` });
    }
    if (plan.mode === 'build') {
        if (plan.handover)
            steps.push({ phase: 'push', what: `digest recorded as workflow artifact ${plan.handover.artifact}` });
        return steps;
    }
    if (plan.merge) {
        for (const image of images) {
            steps.push({
                phase: 'merge',
                what: plan.merge.collect
                    ? `${image.name}: index of ${platforms.join(', ')} from the build runs' digest artifacts (image-publish-digests-*-${plan.merge.collect}-*)`
                    : `${image.name}: index of ${platforms.join(', ')} from ${plan.merge.sources.length} digest(s)`
            });
        }
    }
    if (source) {
        steps.push({
            phase: 'promote',
            what: `resolve ${source.ref} to a digest${plan.promotion?.verifySource ? ', verify its signature' : ''}`
        });
    }
    if (supply.scan) {
        steps.push({
            phase: 'scan',
            what: `trivy per platform, gate ${formatLimits(supply.gate.max) || 'no limit'}${supply.gate.ignoreUnfixed ? ' (unfixed ignored)' : ''}`
        });
    }
    if (supply.sbom !== 'none')
        steps.push({ phase: 'scan', what: `SBOM per platform (${supply.sbom})` });
    for (const b of bindings)
        steps.push({ phase: 'check', what: `${b.image}: policy "${b.env}"${b.rule.immutable ? ' (immutable tags)' : ''}` });
    if (source) {
        for (const image of images.filter(i => i.name !== source.name)) {
            steps.push({
                phase: 'promote',
                what: `copy ${source.name}@digest to ${image.name} with signatures and attestations`
            });
        }
    }
    if (supply.sign) {
        steps.push({
            phase: 'sign',
            what: source && !plan.promotion?.sign
                ? 'verify the carried signature in every target'
                : `cosign sign${plan.signing?.recursive ? ' --recursive' : ''}${supply.sbom !== 'none' ? ', attest SBOMs' : ''}, verify`
        });
    }
    for (const image of images) {
        const arch = Object.values(image.archTags).flat();
        steps.push({ phase: 'tag', what: `${image.name}: ${[...image.tags, ...arch].join(', ') || '(no tags)'}` });
    }
    return steps;
}

;// CONCATENATED MODULE: ./src/plan/tool-requests.ts
// `trivy-version`, `cosign-version` and `tools-download-base`, checked by shape in the plan: the
// installer (src/tools/install.ts) runs after login and builder creation, and a typo found there has
// already spent a login and, for buildx, a build. Only the shape is known here; whether the version
// exists or the mirror answers is found at install time.

/** The installer's grammar (tools/versions.ts normalizeVersion): an exact version, `v` optional. */
function checkToolVersion(name, value) {
    const v = value.trim();
    if (v === '')
        return;
    if (!semver.valid(semver.clean(v) ?? '') || !/^v?\d/.test(v)) {
        throw new Error(`Input "${name}": "${v.slice(0, 40)}" is not an exact version like 0.58.1 or v0.58.1 (downloads are pinned by SHA-256, so ranges and latest are refused)`);
    }
}
/** A mirror base replacing https://github.com: http(s), a host, no query, fragment or credentials. */
function checkDownloadBase(value) {
    const v = value.trim();
    if (v === '')
        return;
    const fail = (why) => {
        throw new Error(`Input "tools-download-base": ${why}; write the mirror's base URL, https://host[:port][/path] (it replaces https://github.com in release download URLs)`);
    };
    let url;
    try {
        url = new URL(v);
    }
    catch {
        return fail('it is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        fail(`scheme "${url.protocol.replace(/:$/, '')}" is not https or http`);
    if (!url.hostname)
        fail('it has no host');
    // Credentials in the URL would be printed in the download log line and kept in the plan.
    if (url.username || url.password)
        fail('it holds credentials (user:password@); the mirror must be readable without them');
    if (url.search || url.hash || v.includes('?') || v.includes('#'))
        fail('it has a query or a fragment, which the release path would be appended after');
}

;// CONCATENATED MODULE: ./src/plan.ts












/** Binds every image to its policy entry and refuses, before anything runs, a tag the policy forbids. */
function applyPolicy(policy, images) {
    if (!policy)
        return [];
    const bindings = [];
    const violations = [];
    for (const image of images) {
        const bound = ruleFor(policy, image.name);
        if (!bound)
            continue;
        bindings.push({ image: image.name, env: bound.name, rule: bound.rule });
        const tags = [...image.tags, ...Object.values(image.archTags).flat()];
        violations.push(...checkTags(bound, image.name, tags));
    }
    if (violations.length > 0) {
        throw new Error(`Input "tags": the policy ${policy.file} refuses ${violations.length === 1 ? 'a tag' : 'tags'}; nothing was built or pushed:\n- ${violations.join('\n- ')}`);
    }
    return bindings;
}
function promoteSource(inputs) {
    if (inputs.mode !== 'promote')
        return undefined;
    if (!inputs.source) {
        throw new Error('Input "source" is required with mode: promote (image@sha256:... or image:tag)');
    }
    let ref;
    try {
        ref = parseReference(inputs.source);
    }
    catch (err) {
        throw new Error(`Input "source": ${err instanceof Error ? err.message : String(err)}`);
    }
    // A bare name would promote whatever `latest` is when the run reaches the registry: a release
    // names what it promotes. Whether a tag exists is a registry fact, found at "Resolve the source".
    if (!ref.tag && !ref.digest) {
        throw new Error(`Input "source": "${inputs.source.slice(0, 80)}" names neither a tag nor a digest; write image@sha256:<digest> (recommended) or image:tag`);
    }
    return {
        ref: inputs.source,
        name: `${ref.registry}/${ref.repository}`,
        registry: ref.registry,
        repository: ref.repository,
        ...(ref.tag ? { tag: ref.tag } : {}),
        ...(ref.digest ? { digest: ref.digest } : {})
    };
}
function signing(inputs, vars, registries) {
    const config = signConfigFrom({
        key: inputs.cosignKey,
        publicKey: inputs.cosignPublicKey,
        keyless: inputs.keyless,
        tlogUpload: inputs.tlogUpload,
        recursive: inputs.signRecursive,
        signatureFormat: inputs.signatureFormat,
        certificateIdentity: inputs.certificateIdentity,
        certificateOidcIssuer: inputs.certificateOidcIssuer
    }, vars);
    // Checked even when nothing is signed: a typo here must not wait for the day signing is turned on.
    if (!config &&
        inputs.signatureFormat.trim() &&
        !['default', 'bundle', 'legacy'].includes(inputs.signatureFormat.trim())) {
        throw new Error(`Input "signature-format" must be default, bundle or legacy, got "${inputs.signatureFormat.slice(0, 40)}"`);
    }
    return config && { ...config, allowInsecureRegistry: registries.some(r => r.insecure) };
}
/** push: false / load: what a build that pushes nothing can be asked for. */
function checkLocalBuild(inputs, platforms) {
    if (!inputs.push && inputs.mode !== 'publish' && inputs.mode !== 'build') {
        throw new Error(`Input "push": false builds without pushing; mode: ${inputs.mode} builds nothing (use push: true)`);
    }
    if (!inputs.load)
        return;
    if (inputs.push) {
        throw new Error('Input "load": loading into the docker daemon is for builds that push nothing; set push: false');
    }
    if (inputs.engine !== 'buildx') {
        throw new Error(`Input "load": engine ${inputs.engine} keeps its result in its own storage; load needs engine: buildx`);
    }
    if (platforms.length !== 1) {
        throw new Error(`Input "load": the docker daemon holds one platform, but input "platforms" names ${platforms.length} (${platforms.join(', ')}); ` +
            'build one platform with load: true, or drop load');
    }
}
const ANNOTATION_LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]*\])?(,(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]*\])?)*:/;
/**
 * What build-push-action users paste that means something else here, refused by name before
 * anything runs: exporters (`outputs`), and `annotations` lines carrying a level prefix (metadata-
 * action's `annotations` output): image-publish computes the annotations and applies the levels
 * (DOCKER_METADATA_ANNOTATIONS_LEVELS) itself, so a prefixed line would be prefixed twice.
 */
function checkPastedInputs(inputs) {
    if (inputs.outputs.length > 0) {
        throw new Error(`Input "outputs": image-publish pushes by digest to the repositories in "images" and tags them after its checks; exporters (${inputs.outputs[0]}) are not supported — remove "outputs" (for type=image/registry,name=…, list the names in "images")`);
    }
    const leveled = inputs.annotations.find(a => ANNOTATION_LEVEL.test(a));
    if (leveled) {
        throw new Error(`Input "annotations": "${leveled}" carries a level prefix; give key=value lines (image-publish computes the OCI annotations and applies the levels of DOCKER_METADATA_ANNOTATIONS_LEVELS, default manifest, itself — metadata-action's annotations output is not needed)`);
    }
}
const join = (...parts) => parts.join('/').replace(/\/+/g, '/');
/** Inputs + context + policy → everything a run will do, and the secrets it needs held apart. Pure. */
function planRun(inputs, env, hostPlatform, policy) {
    if (inputs.mode === 'merge' && inputs.platforms.length === 0) {
        throw new Error('Input "platforms" is required with mode: merge (the platforms of the build runs)');
    }
    const platforms = parsePlatforms(inputs.platforms, hostPlatform);
    const meta = computeMeta({
        images: inputs.images,
        tags: inputs.tags,
        flavor: inputs.flavor,
        labels: inputs.labels,
        annotations: inputs.annotations,
        tagPreset: inputs.tagPreset,
        tagPrefix: inputs.tagPrefix,
        version: inputs.version,
        archTags: inputs.archTags,
        platforms,
        customTag: inputs.customTag,
        autoLabels: inputs.autoLabels,
        autoAnnotations: inputs.autoAnnotations
    }, env);
    const bindings = applyPolicy(policy, meta.images);
    const source = promoteSource(inputs);
    checkLocalBuild(inputs, platforms);
    // push: false talks to no registry: no login is planned, so fork pull requests need no secret.
    const { registries, credentials } = registryPlan(inputs.push ? meta.images.map(i => i.registry) : [], source ? [source.registry] : [], inputs, env.actor);
    const signConfig = signing(inputs, env.vars, registries);
    const tagsOf = (name) => {
        const image = meta.images.find(i => i.name === name);
        return image ? [...image.tags, ...Object.values(image.archTags).flat()] : [];
    };
    const supplied = supplyPlan(inputs, bindings, signConfig !== undefined && inputs.push, tagsOf, inputs.push);
    const promotion = source
        ? promotionSigning(bindings.filter(b => signatureRequiredFor(b.rule, tagsOf(b.image))), signConfig !== undefined, inputs.resign)
        : undefined;
    // A promotion that neither scans nor signs has nothing to write an SBOM for: the source's own
    // attestations travel with the digest, and a fresh SBOM would only be thrown away.
    const supply = promotion && !promotion.sign && !supplied.scan && !requiresSbom(bindings.map(b => b.rule))
        ? { ...supplied, sbom: 'none' }
        : supplied;
    checkPastedInputs(inputs);
    // Checked whether or not the tool is used this run: a typo must not wait for the day it is.
    checkToolVersion('trivy-version', inputs.trivyVersion);
    checkToolVersion('cosign-version', inputs.cosignVersion);
    checkDownloadBase(inputs.toolsDownloadBase);
    const imageNames = meta.images.map(i => i.name);
    const merge = inputs.mode === 'merge'
        ? inputs.digests.length === 0 && imageNames.length > 0 && artifactServiceAvailable(env.vars)
            ? { sources: [], collect: imagesKey(imageNames) }
            : // Outside a workflow job there are no artifacts to collect: digests must be given.
                { sources: parseMergeSources(inputs.digests, imageNames) }
        : undefined;
    const handover = inputs.mode === 'build' && imageNames.length > 0 && artifactServiceAvailable(env.vars)
        ? { artifact: artifactName(imageNames, platforms, env.vars.GITHUB_RUN_ATTEMPT || '1') }
        : undefined;
    // Quay deletes an image after `quay.expires-after`: the policy's value is added to the labels.
    for (const [k, v] of Object.entries(expiryLabels(bindings.map(b => b.rule)))) {
        if (!meta.labels.some(l => l.startsWith(`${k}=`)))
            meta.labels.push(`${k}=${v}`);
    }
    const refs = [];
    for (const image of meta.images) {
        refs.push(...image.tags.map(t => `${image.name}:${t}`));
        for (const platform of platforms) {
            refs.push(...(image.archTags[platform] ?? []).map(t => `${image.name}:${t}`));
        }
    }
    const build = buildPlan(inputs, meta.buildArgs, meta.templateVars, { private: env.repoPrivate, vars: env.vars });
    const plan = {
        dryRun: inputs.dryRun,
        push: inputs.push,
        load: inputs.load,
        mode: inputs.mode,
        engine: inputs.engine,
        hostPlatform,
        platforms,
        context: build.context,
        file: build.file,
        target: build.target,
        meta,
        images: meta.images,
        refs,
        buildArgs: build.buildArgs,
        build,
        registries,
        steps: [],
        supply,
        ...(signConfig ? { signing: signConfig } : {}),
        scan: {
            reportDir: inputs.reportDir,
            reportRoot: join(env.runnerTemp, 'image-publish', 'reports'),
            cacheDir: inputs.trivyCacheDir || join(env.runnerTemp, 'image-publish', 'trivy-cache'),
            dbRepositories: inputs.trivyDbRepositories,
            ignoreFile: inputs.scanIgnoreFile
        },
        tools: {
            trivyVersion: inputs.trivyVersion,
            cosignVersion: inputs.cosignVersion,
            checksums: inputs.toolChecksums,
            downloadBase: inputs.toolsDownloadBase
        },
        ...(policy ? { policy: { file: policy.file, bindings } } : {}),
        ...(source ? { source } : {}),
        resign: inputs.resign,
        ...(promotion ? { promotion } : {}),
        ...(merge ? { merge } : {}),
        ...(handover ? { handover } : {}),
        releaseAssets: inputs.releaseAssets,
        separators: { tags: inputs.sepTags, labels: inputs.sepLabels, annotations: inputs.sepAnnotations },
        now: env.created
    };
    plan.steps = planSteps(plan);
    return {
        plan,
        secrets: {
            githubToken: inputs.githubToken,
            cosignKey: inputs.cosignKey,
            cosignPassword: inputs.cosignPassword,
            credentials
        }
    };
}
/** The plan alone (dry-run views and tests). */
function makePlan(inputs, env, hostPlatform, policy) {
    const full = { runnerTemp: '/tmp', vars: {}, actor: '', ...env };
    return planRun(inputs, full, hostPlatform, policy).plan;
}
/** Where this run's reports go: the `report-dir` input, else RUNNER_TEMP/image-publish/reports/<digest>. */
function reportDir(plan, label) {
    return plan.scan.reportDir || join(plan.scan.reportRoot, label);
}

;// CONCATENATED MODULE: ./src/plan/dockerfile-args.ts
function escapeChar(lines) {
    // Parser directives are only the first comment lines, before anything else.
    for (const raw of lines) {
        const m = raw.match(/^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/);
        if (!m)
            break;
        if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\'))
            return m[2];
    }
    return '\\';
}
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
function instructions(text) {
    const lines = text.split(/\r?\n/);
    const escape = escapeChar(lines);
    const out = [];
    let i = 0;
    while (i < lines.length) {
        const first = lines[i];
        if (/^\s*(#|$)/.test(first)) {
            i++;
            continue;
        }
        const start = i + 1;
        let joined = '';
        let current = first;
        for (;;) {
            const trimmed = current.replace(/\s+$/, '');
            if (trimmed.endsWith(escape) && i + 1 < lines.length) {
                joined += trimmed.slice(0, -1);
                i++;
                // Comment and empty lines inside a continuation are dropped.
                while (i < lines.length && /^\s*(#|$)/.test(lines[i]))
                    i++;
                if (i >= lines.length)
                    break;
                current = lines[i];
                continue;
            }
            joined += trimmed;
            i++;
            break;
        }
        const m = joined.match(/^\s*([A-Za-z]+)\s*(.*)$/);
        if (!m)
            continue;
        out.push({ keyword: m[1].toUpperCase(), rest: m[2], line: start });
        // A heredoc body runs until its delimiter line; none of it is an instruction.
        for (const h of joined.matchAll(HEREDOC)) {
            const strip = h[1] === '-';
            while (i < lines.length && (strip ? lines[i].replace(/^\t+/, '') : lines[i]) !== h[3])
                i++;
            i++;
        }
    }
    return out;
}
/** `a=1 "b=two words" c` → name/default pairs, quotes removed. */
function argWords(rest) {
    const words = rest.match(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g) ?? [];
    return words.map(word => {
        const i = word.indexOf('=');
        const unquote = (v) => v.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_m, d, s) => d ?? s);
        if (i < 0)
            return { name: unquote(word) };
        return { name: unquote(word.slice(0, i)), default: unquote(word.slice(i + 1)) };
    });
}
function parseDockerfileArgs(text) {
    const args = [];
    let stage = '';
    let stages = 0;
    for (const ins of instructions(text)) {
        if (ins.keyword === 'FROM') {
            const as = ins.rest.match(/\s+as\s+(\S+)\s*$/i);
            stage = as ? as[1] : String(stages);
            stages++;
        }
        else if (ins.keyword === 'ARG') {
            for (const w of argWords(ins.rest))
                args.push({ ...w, stage, line: ins.line });
        }
    }
    return args;
}
/**
 * One warning per declared default an automatic build arg replaces. `file` names the Dockerfile in
 * the message; the remedy is in it (`auto-build-args: false` keeps the default, `true` says "I know").
 */
function autoArgWarnings(args, auto, file) {
    const out = [];
    for (const a of args) {
        if (a.default === undefined || !Object.prototype.hasOwnProperty.call(auto, a.name))
            continue;
        if (auto[a.name] === a.default)
            continue;
        const where = a.stage === '' ? 'before the first FROM' : `stage ${a.stage}`;
        out.push(`Build arg ${a.name}="${auto[a.name]}" is passed automatically and replaces the default "${a.default}" that ${file} line ${a.line} (${where}) declares; set auto-build-args: false to keep the Dockerfile's default, or auto-build-args: true (or ${a.name} in build-args) to pass it on purpose without this warning`);
    }
    return out;
}

// EXTERNAL MODULE: ./src/tools/exec.ts
var exec = __webpack_require__(12122);
;// CONCATENATED MODULE: ./src/supply/cosign-args.ts
// cosign v3.1.2 argv, one builder per command. Pure; flags checked against `cosign <cmd> --help`
// and the v3.1.2 sources (--tlog-upload and --new-bundle-format are deprecated there, hence hidden
// from --help, but still honoured).

/** Shown in the verify command a user copies: our derived key file is gone after the job. */
const PUBLIC_KEY_PLACEHOLDER = 'cosign.pub';
// --allow-http-registry is the one sign and attest need for plain http (--allow-insecure-registry
// alone only skips TLS checks there); both together match docker's notion of an insecure registry.
const registryFlags = (c) => c.allowInsecureRegistry ? ['--allow-insecure-registry', '--allow-http-registry'] : [];
function signingKey(c) {
    if (c.mode === 'keyless')
        return [];
    if (!c.key)
        throw new Error('cosign-key content is not written to a file yet (materializeKey)');
    return ['--key', c.key];
}
/** Flags shared by the commands that write a signature: sign and attest. */
function writeFlags(c) {
    const flags = signingKey(c);
    if (!c.tlogUpload)
        flags.push('--tlog-upload=false');
    if (c.signatureFormat === 'bundle')
        flags.push('--new-bundle-format=true');
    if (c.signatureFormat === 'legacy')
        flags.push('--new-bundle-format=false');
    // v3 takes service URLs from the TUF signing config by default, and that path refuses both
    // --tlog-upload=false and the legacy format; without it cosign uses its built-in public URLs.
    if (!c.tlogUpload || c.signatureFormat === 'legacy')
        flags.push('--use-signing-config=false');
    return flags;
}
function verifyKey(c) {
    const k = c.publicKey ?? (c.mode === 'kms' ? c.key : undefined);
    if (!k || isPem(k))
        throw new Error('no public key file to verify with yet (materializeKey)');
    return k;
}
/** Who must have signed: the key, or the certificate identity and issuer (keyless). */
function identityFlags(c, key) {
    if (c.mode !== 'keyless')
        return ['--key', key];
    return [
        ...(c.certificateIdentityRegexp
            ? ['--certificate-identity-regexp', c.certificateIdentityRegexp]
            : ['--certificate-identity', c.certificateIdentity ?? '']),
        '--certificate-oidc-issuer',
        c.certificateOidcIssuer ?? ''
    ];
}
const tlogFlags = (c) => (c.tlogUpload ? [] : ['--insecure-ignore-tlog']);
/** References as cosign takes them: several per call where the command loops over its arguments. */
const many = (refs) => {
    const list = typeof refs === 'string' ? [refs] : [...refs];
    if (list.length === 0)
        throw new Error('cosign needs at least one image reference');
    return list;
};
/** One `cosign sign` for several references: the key is decrypted once for all of them. */
function signArgs(c, refs) {
    return [
        'sign',
        ...writeFlags(c),
        ...(c.recursive ? ['--recursive'] : []),
        ...registryFlags(c),
        '--yes',
        ...many(refs)
    ];
}
function attestArgs(c, ref, predicateFile, type) {
    return ['attest', ...writeFlags(c), '--type', type, '--predicate', predicateFile, ...registryFlags(c), '--yes', ref];
}
/** `cosign verify` of several references prints one JSON line per reference, in argument order. */
function verifyArgs(c, refs) {
    const key = c.mode === 'keyless' ? '' : verifyKey(c);
    return ['verify', ...identityFlags(c, key), ...tlogFlags(c), ...registryFlags(c), '--output', 'json', ...many(refs)];
}
function verifyAttestationArgs(c, refs, type) {
    const key = c.mode === 'keyless' ? '' : verifyKey(c);
    return [
        'verify-attestation',
        ...identityFlags(c, key),
        '--type',
        type,
        ...tlogFlags(c),
        ...registryFlags(c),
        '--output',
        'json',
        ...many(refs)
    ];
}
/** `cosign public-key`: writes the public half of a (password-protected) private key file. */
function publicKeyArgs(keyFile, outFile) {
    return ['public-key', '--key', keyFile, '--outfile', outFile];
}
/** POSIX shell quoting: bare when every character is safe, else single quotes. */
function shellQuote(s) {
    return /^[A-Za-z0-9_/.:@=+,%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
/** The line a user runs to check the signature; names a KMS URI or a key file, never a secret. */
function verifyCommand(c, ref) {
    const shown = c.publicKey && isKmsRef(c.publicKey)
        ? c.publicKey
        : c.mode === 'kms' && !c.publicKey && c.key
            ? c.key
            : PUBLIC_KEY_PLACEHOLDER;
    return ['cosign', 'verify', ...identityFlags(c, shown), ...tlogFlags(c), ...registryFlags(c), ref]
        .map(shellQuote)
        .join(' ');
}
/** The environment cosign reads secrets from; always set in key mode so cosign never prompts. */
function cosignEnv(c) {
    return c.mode === 'key' ? { COSIGN_PASSWORD: c.password ?? '' } : {};
}

;// CONCATENATED MODULE: ./src/supply/cosign-output.ts
// Parsers for what cosign v3.1.2 prints. Pure; tested on captured output (__tests__/fixtures/cosign).
/**
 * Payload types that mean "a signature", as opposed to an attestation: bundle format and legacy.
 * cosign v3.1.2 `verify` also lists (and passes on) attestation bundles such as an SBOM, so an
 * image with an attestation but no signature "verifies" unless the type is checked.
 */
const SIGNATURE_TYPES = ['https://sigstore.dev/cosign/sign/v1', 'cosign container image signature'];
function parseVerifyOutput(stdout) {
    // stdout is one JSON array; tolerate stray lines around it.
    const line = stdout.split('\n').find(l => l.trimStart().startsWith('['));
    if (!line)
        throw new Error(`cosign verify printed no JSON payload list: ${stdout.slice(0, 200)}`);
    const list = JSON.parse(line);
    return list.map(p => ({
        type: String(p.critical?.type ?? ''),
        digest: String(p.critical?.image?.['docker-manifest-digest'] ?? '')
    }));
}
/**
 * `cosign verify` of several references: one JSON array line per reference, in argument order.
 * undefined when the lines do not pair up with the references (then each is verified alone).
 */
function parseVerifyOutputs(stdout, count) {
    const lines = stdout.split('\n').filter(l => l.trimStart().startsWith('['));
    if (lines.length !== count)
        return undefined;
    return lines.map(l => parseVerifyOutput(l));
}
/** Whether a verified payload is a signature (not only an attestation) for this digest. */
function hasSignatureFor(payloads, digest) {
    return payloads.some(p => p.digest === digest && SIGNATURE_TYPES.includes(p.type));
}
/** `cosign version --json` → "v3.1.2" (the text form's GitVersion line is accepted too). */
function cosign_output_parseCosignVersion(stdout) {
    try {
        const v = JSON.parse(stdout).gitVersion;
        if (typeof v === 'string' && v)
            return v;
    }
    catch {
        // not JSON: the text form below
    }
    const m = /GitVersion:\s*(\S+)/.exec(stdout);
    if (!m)
        throw new Error(`cannot read the cosign version from: ${stdout.slice(0, 200)}`);
    return m[1];
}

// EXTERNAL MODULE: ./src/report/log.ts
var log = __webpack_require__(46472);
;// CONCATENATED MODULE: ./src/supply/cosign.ts
// cosign adapter: key files, sign, attest, verify. Argv comes from cosign-args.ts, parsing from
// cosign-output.ts; secrets travel in the environment only (COSIGN_PASSWORD), never in argv.
// Registry credentials come with the caller's env (DOCKER_CONFIG).







const DIGEST_REF = /@(sha256:[a-f0-9]{64})$/;
function digestOf(ref) {
    const m = DIGEST_REF.exec(ref);
    // A tag can move between signing and pulling; only a digest names what was signed.
    if (!m)
        throw new Error(`cosign signs and verifies by digest only: "${ref}" has no @sha256:<digest>`);
    return m[1];
}
const messageOf = (e) => (e instanceof Error ? e.message : String(e));
/** Belt and braces: cosign does not echo the password, and it must never reach a message. */
function redact(text, c) {
    return c.password ? text.split(c.password).join('***') : text;
}
function hint(message, c) {
    if (c.mode === 'key' && /decrypt/i.test(message)) {
        return '\nThe private key did not decrypt: check cosign-password (and that cosign-key is a cosign private key).';
    }
    if (c.mode === 'keyless' && /certificate|identity|issuer/i.test(message)) {
        return '\nIn a reusable workflow the certificate names the called workflow: set certificate-identity to it.';
    }
    return '';
}
async function cosignRun(cosign, c, args, env, label, failure, silent = false) {
    try {
        return (await (0,exec/* runTool */.qI)(cosign, args, { env: { ...env, ...cosignEnv(c) }, label, silent })).stdout;
    }
    catch (e) {
        const msg = messageOf(e);
        throw new Error(redact(`${failure}: ${msg}${hint(msg, c)}`, c));
    }
}
function signer(c) {
    if (c.mode === 'keyless') {
        const id = c.certificateIdentityRegexp ?? c.certificateIdentity;
        return `certificate identity ${id} (issuer ${c.certificateOidcIssuer})`;
    }
    return c.publicKey ?? c.key ?? 'no key';
}
function writePrivate(file, content, mode) {
    const text = content.replace(/\r\n/g, '\n').trim() + '\n';
    external_node_fs_default().writeFileSync(file, text, { mode });
    external_node_fs_default().chmodSync(file, mode); // the mode option applies only when the file is new
}
// Derivations in flight or done, per public key file: concurrent verifies wait for one derivation
// (0.2 s of key decryption) instead of each starting its own.
const deriving = new Map();
/** key mode without a public key: write it from the private key once, before the first verify. */
async function ensurePublicKey(cosign, c, env) {
    if (c.mode !== 'key' || !c.derivePublicKey || !c.publicKey || !c.key)
        return;
    const file = c.publicKey;
    const pending = deriving.get(file);
    if (pending)
        return pending;
    if (external_node_fs_default().existsSync(file) && external_node_fs_default().statSync(file).size > 0)
        return;
    const key = c.key;
    const run = cosignRun(cosign, c, publicKeyArgs(key, file), env, 'cosign public-key', 'Cannot read the public key from cosign-key', true).then(() => undefined);
    deriving.set(file, run);
    // A failure must not stick (a corrected password tries again); success is remembered by the
    // file. cosign creates the output file before it decrypts: a failed run leaves it empty, and
    // an empty file must not pass for a derived key.
    run.then(() => deriving.delete(file), () => {
        external_node_fs_default().rmSync(file, { force: true });
        deriving.delete(file);
    });
    return run;
}
/**
 * Starts deriving the public key (`cosign public-key`, the scrypt decryption of the private key:
 * about half a second) while the run builds, so the first verify finds it written or in flight.
 * A failure is not reported here: the deriving map forgets it, and keyProven (awaited before the
 * first push) derives again and fails with the message. Does nothing when a public key was given
 * or the mode is not key.
 */
function startPublicKey(cosign, c) {
    ensurePublicKey(cosign, c, {}).catch(() => undefined);
}
/**
 * The derivation startPublicKey began (or a new one after it failed), awaited before anything
 * is pushed: it proves cosign-key and cosign-password, so a wrong password fails before the
 * build pushes, not at the sign step after it. Resolves at once when nothing is derived.
 */
function keyProven(cosign, c) {
    return ensurePublicKey(cosign, c, {});
}
/** The value of cosign-key is a secret: a message never shows it, even when it is not PEM. */
const KEY_NOT_FOUND = 'Input "cosign-key" is neither PEM content, a KMS URI nor an existing file (its value is a secret and is not shown)';
/**
 * Writes PEM key content into `dir` (our private credentials dir, removed in the post step) and plans
 * the public key for verification. With `cosign` given, derives the public key now, which also
 * checks cosign-password; otherwise startPublicKey or the first verify derives it.
 */
async function materializeKey(c, secret, dir, cosign) {
    const keyInput = secret.key;
    const out = c.mode === 'key' ? { ...c, password: secret.password } : { ...c };
    external_node_fs_default().mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (c.mode === 'key') {
        if (isPem(keyInput)) {
            out.key = external_node_path_default().join(dir, 'cosign.key');
            writePrivate(out.key, keyInput, 0o600);
        }
        else if (!out.key || !external_node_fs_default().existsSync(out.key)) {
            throw new Error(KEY_NOT_FOUND);
        }
    }
    if (out.publicKey && isPem(out.publicKey)) {
        const file = external_node_path_default().join(dir, 'cosign-given.pub');
        writePrivate(file, out.publicKey, 0o644);
        out.publicKey = file;
    }
    else if (out.publicKey && !isKmsRef(out.publicKey) && !external_node_fs_default().existsSync(out.publicKey)) {
        throw new Error(`Input "cosign-public-key": no file "${out.publicKey}" (give PEM content, a file path or a KMS URI)`);
    }
    if (out.mode === 'key' && !out.publicKey) {
        out.publicKey = external_node_path_default().join(dir, 'cosign-derived.pub');
        out.derivePublicKey = true;
        external_node_fs_default().rmSync(out.publicKey, { force: true }); // never verify with a key left from another run
        if (cosign)
            await ensurePublicKey(cosign, out, {});
    }
    return out;
}
/**
 * Signs every repo@digest in one cosign process (one key decryption, one start-up); with
 * `recursive`, cosign also signs every manifest an index lists.
 */
async function signDigests(cosign, c, refs, env) {
    if (refs.length === 0)
        return;
    for (const ref of refs)
        digestOf(ref);
    const named = refs.join(', ');
    await cosignRun(cosign, c, signArgs(c, refs), env, `cosign sign ${named}`, `Signing ${named} failed`);
}
/** Attaches an SBOM (spdxjson or cyclonedx predicate) to one platform digest as a signed attestation. */
async function attest(cosign, c, ref, predicateFile, type, env) {
    digestOf(ref);
    if (!external_node_fs_default().existsSync(predicateFile))
        throw new Error(`Cannot attest ${ref}: no SBOM file ${predicateFile}`);
    await cosignRun(cosign, c, attestArgs(c, ref, predicateFile, type), env, `cosign attest ${ref}`, `Attesting ${type} to ${ref} failed`);
}
/** Throws naming the first ref whose signature does not verify with the configured key or identity. */
async function verifyDigests(cosign, c, refs, env) {
    if (refs.length === 0)
        return;
    for (const ref of refs)
        digestOf(ref);
    await ensurePublicKey(cosign, c, env);
    if (refs.length > 1) {
        // One process for all; cosign stops at the first failure without saying which reference it
        // was, so a failed batch is verified again one by one, and the message names the culprit.
        const stdout = await cosignRun(cosign, c, verifyArgs(c, refs), env, 'cosign verify', 'batch', true).catch(() => undefined);
        const each = stdout === undefined ? undefined : parseVerifyOutputs(stdout, refs.length);
        if (each && refs.every((ref, i) => hasSignatureFor(each[i], digestOf(ref)))) {
            for (const ref of refs)
                log/* info */.pq(`verified signature of ${ref}`);
            return;
        }
    }
    for (const ref of refs)
        await verifyOne(cosign, c, ref, env);
}
async function verifyOne(cosign, c, ref, env) {
    const digest = digestOf(ref);
    const failure = `Signature of ${ref} does not verify with ${signer(c)}`;
    const stdout = await cosignRun(cosign, c, verifyArgs(c, ref), env, `cosign verify ${ref}`, failure, true);
    const payloads = parseVerifyOutput(stdout);
    // cosign v3 also passes on attestation bundles alone: require a signature payload for this digest.
    if (!hasSignatureFor(payloads, digest)) {
        const found = payloads.map(p => `${p.type} for ${p.digest}`).join(', ') || 'nothing';
        throw new Error(`${failure}: no signature payload for ${digest} (verified: ${found})`);
    }
    log/* info */.pq(`verified signature of ${ref}`);
}
async function verifyAttestation(cosign, c, ref, type, env) {
    digestOf(ref);
    await ensurePublicKey(cosign, c, env);
    await cosignRun(cosign, c, verifyAttestationArgs(c, ref, type), env, `cosign verify-attestation ${ref}`, `The ${type} attestation of ${ref} does not verify with ${signer(c)}`, 
    // stdout is the whole SBOM, base64 encoded: nothing a log reader wants
    true);
    log/* info */.pq(`verified ${type} attestation of ${ref}`);
}
/** Every ref's `type` attestation in one process; a failed batch is retried one by one to name the ref. */
async function verifyAttestations(cosign, c, refs, type, env) {
    if (refs.length === 0)
        return;
    if (refs.length === 1)
        return verifyAttestation(cosign, c, refs[0], type, env);
    for (const ref of refs)
        digestOf(ref);
    await ensurePublicKey(cosign, c, env);
    const ok = await cosignRun(cosign, c, verifyAttestationArgs(c, refs, type), env, 'cosign verify-attestation', 'batch', true).then(() => true, () => false);
    if (ok) {
        for (const ref of refs)
            log/* info */.pq(`verified ${type} attestation of ${ref}`);
        return;
    }
    for (const ref of refs)
        await verifyAttestation(cosign, c, ref, type, env);
}
async function cosignVersion(cosign) {
    const { stdout } = await runTool(cosign, ['version', '--json'], { silent: true, label: 'cosign version' });
    return parseCosignVersion(stdout);
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/tools/probe.ts
var probe = __webpack_require__(601);
;// CONCATENATED MODULE: ./src/tools/install.ts
// Tool installer: PATH → tool cache → download, verify SHA-256, cache, addPath.








/** The action input that carries user sums (`cosign=<sha256>` lines) for versions we pin none for. */
const CHECKSUMS_INPUT = 'tool-checksums';
// Installed once per job: the tool cache spans steps; this spans calls within one step.
const installed = new Map();
/** Tests only: forget what this process installed (the tool cache on disk is kept). */
function forgetInstalledTools() {
    installed.clear();
    forgetProbes();
}
async function ensureTool(req, deps = {}) {
    const version = normalizeVersion(req.tool, req.version);
    const key = `${req.tool.name}@${version}`;
    let pending = installed.get(key);
    if (!pending) {
        pending = install(req, version, deps);
        installed.set(key, pending);
        // A failure must not stick: a later call (e.g. with a corrected sum) tries again.
        pending.catch(() => installed.get(key) === pending && installed.delete(key));
    }
    return pending;
}
async function install(req, version, deps) {
    const onPath = await fromPath(req.tool, version, deps);
    if (onPath)
        return onPath;
    requireRunnerDirs();
    const platform = deps.platform ?? hostPlatform();
    const { tool } = req;
    // Loaded only when the tool is not on PATH: it brings @actions/http-client (undici).
    const tc = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(838), __webpack_require__.e(805)]).then(__webpack_require__.bind(__webpack_require__, 59805));
    const cached = tc.find(tool.name, version, platform.arch);
    if (cached && (await isExecutable(external_node_path_default().join(cached, tool.name)))) {
        log/* info */.pq(`Using ${tool.name} ${version} from the tool cache (${cached})`);
        (0,commands/* addPath */.fM)(cached);
        return { path: external_node_path_default().join(cached, tool.name), version, source: 'cache' };
    }
    return download(req, version, platform, deps);
}
async function fromPath(tool, version, deps) {
    const bin = await (deps.which ?? whichOnPath)(tool.name);
    if (!bin)
        return undefined;
    let found;
    try {
        found = tool.parseVersion(await (deps.versionOutput ?? versionOutput)(bin, tool.versionArgs));
    }
    catch (e) {
        log/* info */.pq(`Ignoring ${bin}: \`${tool.name} ${tool.versionArgs.join(' ')}\` failed: ${e.message}`);
        return undefined;
    }
    if (found !== undefined && sameVersion(found, version)) {
        log/* info */.pq(`Using ${tool.name} ${found} found on PATH (${bin})`);
        return { path: bin, version, source: 'path' };
    }
    log/* info */.pq(`Ignoring ${tool.name} ${found ?? '(version unreadable)'} on PATH (${bin}): ${version} is required`);
    return undefined;
}
async function download(req, version, platform, deps) {
    const { tool } = req;
    const url = withDownloadBase(tool.url(version, platform.os, platform.arch), req.downloadBase);
    const expected = expectedSum(req, version, platform, url);
    // Release downloads redirect to another host; http-client drops Authorization on such redirects.
    const auth = req.token && new URL(url).hostname === 'github.com' ? `token ${req.token}` : undefined;
    const tc = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(838), __webpack_require__.e(805)]).then(__webpack_require__.bind(__webpack_require__, 59805));
    log/* info */.pq(`Downloading ${tool.name} ${version} from ${url}`);
    let file;
    try {
        // tool-cache already retries (3 attempts) on 5xx/408/429 and network errors, never on other 4xx.
        file = await tc.downloadTool(url, undefined, auth);
    }
    catch (e) {
        throw new Error(`${tool.name} ${version}: download of ${url} failed: ${e.message}`, { cause: e });
    }
    let extracted;
    try {
        const actual = await sha256File(file);
        if (actual !== expected) {
            throw new Error(`${tool.name} ${version}: SHA-256 mismatch for ${url}: expected ${expected}, got ${actual} ` +
                '(the download was deleted, nothing was cached)');
        }
        let bin = file;
        if (tool.archive === 'tar.gz') {
            extracted = await tc.extractTar(file);
            bin = external_node_path_default().join(extracted, tool.binaryInArchive ?? tool.name);
            if (!(await isFile(bin)))
                throw new Error(`${tool.name} ${version}: ${url} has no ${tool.binaryInArchive}`);
        }
        await (0,external_node_fs_promises_.chmod)(bin, 0o755);
        const dir = await tc.cacheFile(bin, tool.name, tool.name, version, platform.arch);
        const exe = external_node_path_default().join(dir, tool.name);
        await (0,external_node_fs_promises_.chmod)(exe, 0o755);
        (0,commands/* addPath */.fM)(dir);
        await warnOnVersionMismatch(tool, version, exe, deps);
        return { path: exe, version, source: 'download' };
    }
    finally {
        await (0,external_node_fs_promises_.rm)(file, { force: true });
        if (extracted)
            await (0,external_node_fs_promises_.rm)(extracted, { recursive: true, force: true });
    }
}
function expectedSum(req, version, platform, url) {
    const { name } = req.tool;
    const pinned = req.tool.sha256[`${version}/${platform.os}-${platform.arch}`];
    const user = req.sha256
        ?.trim()
        .toLowerCase()
        .replace(/^sha256:/, '');
    if (user) {
        if (!SHA256_RE.test(user))
            throw new Error(`${CHECKSUMS_INPUT}: the ${name} sum is not 64 hex digits`);
        if (pinned && pinned !== user) {
            (0,commands/* warning */.$e)(`${name} ${version}: verifying with the sum from ${CHECKSUMS_INPUT}, not the pinned ${pinned}`);
        }
        return user;
    }
    if (!pinned) {
        throw new Error(`${name} ${version} has no pinned SHA-256 for ${platform.os}-${platform.arch}, so ${url} would be unverified. ` +
            `Set the ${CHECKSUMS_INPUT} input to a line "${name}=<sha256 of that file>", or use ${name} ${req.tool.defaultVersion}.`);
    }
    return pinned;
}
async function warnOnVersionMismatch(tool, version, exe, deps) {
    // The sum proves the bytes are the ones asked for, not that they are the version asked for (user sums).
    let found;
    try {
        found = tool.parseVersion(await (deps.versionOutput ?? versionOutput)(exe, tool.versionArgs));
    }
    catch (e) {
        (0,commands/* warning */.$e)(`${tool.name} ${version} was installed but \`${tool.versionArgs.join(' ')}\` failed: ${e.message}`);
        return;
    }
    if (found === undefined || !sameVersion(found, version)) {
        (0,commands/* warning */.$e)(`${tool.name} installed as ${version} reports version ${found ?? '(unreadable)'}`);
    }
}
function requireRunnerDirs() {
    for (const v of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP']) {
        if (!process.env[v])
            throw new Error(`${v} is not set: the tool installer needs the runner's tool cache and temp dirs`);
    }
}
async function versionOutput(bin, args) {
    const { stdout, stderr } = await (0,probe/* probe */.d)(bin, args);
    return `${stdout}\n${stderr}`;
}
async function isFile(p) {
    return (0,external_node_fs_promises_.stat)(p).then(s => s.isFile(), () => false);
}
async function isExecutable(p) {
    if (!(await isFile(p)))
        return false;
    return (0,external_node_fs_promises_.access)(p, external_node_fs_.constants.X_OK).then(() => true, () => false);
}
/** First executable `name` on PATH. */
async function whichOnPath(name) {
    for (const dir of (process.env.PATH ?? '').split((external_node_path_default()).delimiter)) {
        if (dir === '')
            continue;
        const candidate = external_node_path_default().join(dir, name);
        if (await isExecutable(candidate))
            return candidate;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/tools/tool-path.ts



/** cosign or trivy: on PATH at the wanted version, else from the tool cache, else downloaded and checked. */
async function toolPath(name, requests, secrets) {
    const got = await ensureTool({
        tool: TOOLS[name],
        version: name === 'cosign' ? requests.cosignVersion : requests.trivyVersion,
        sha256: requests.checksums[name],
        downloadBase: requests.downloadBase || undefined,
        token: secrets.githubToken || undefined
    });
    log/* info */.pq(`${name} ${got.version} (${got.source}): ${got.path}`);
    return got.path;
}

;// CONCATENATED MODULE: ./src/publish/prepare.ts







const DEFAULT_IGNORE_FILE = '.trivyignore';
/**
 * The files a run reads later (build context, Dockerfile, ignore file, key files), checked before
 * anything is logged into or built. A dry-run checks them too, so it refuses what a run refuses.
 */
function checkFiles(plan, secrets, exists = external_node_fs_.existsSync) {
    if (plan.mode === 'publish' || plan.mode === 'build') {
        const { context, file } = plan.build;
        // A remote context (git URL, tarball URL) is fetched by the builder itself.
        if (!isRemote(context)) {
            if (!exists(context))
                throw new Error(`Input "context": the directory ${context} does not exist`);
            const dockerfile = file || external_node_path_.join(context, 'Dockerfile');
            if (file !== '-' && !exists(dockerfile)) {
                throw new Error(`Input "file": ${dockerfile} does not exist${file ? '' : ' (the default is <context>/Dockerfile; set file: for a Containerfile)'}`);
            }
        }
    }
    if (plan.supply.scan && plan.scan.ignoreFile && !exists(plan.scan.ignoreFile)) {
        throw new Error(`Input "trivyignore": ${plan.scan.ignoreFile} does not exist`);
    }
    const s = plan.signing;
    if (s?.mode === 'key' && !isPem(secrets.cosignKey) && !exists(secrets.cosignKey.trim())) {
        throw new Error(KEY_NOT_FOUND);
    }
    if (s?.publicKey && !isKmsRef(s.publicKey) && !isPem(s.publicKey) && !exists(s.publicKey)) {
        throw new Error(`Input "cosign-public-key": the file ${s.publicKey} does not exist`);
    }
}
const isRemote = (context) => /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@');
/**
 * Warnings for automatic build args that replace a default the Dockerfile declares (issue: a
 * Dockerfile pinning `ARG VERSION=1.25` must not be rebuilt with VERSION=v1.8.0 unannounced).
 * Only a local Dockerfile is read; a remote context or stdin (`file: -`) is not looked into.
 */
function dockerfileArgWarnings(plan, read = file => (external_node_fs_.existsSync(file) ? external_node_fs_.readFileSync(file, 'utf8') : undefined)) {
    const { context, file, autoArgs, warnAutoArgs, buildArgs } = plan.build;
    if (!warnAutoArgs || autoArgs.length === 0 || plan.mode === 'merge' || plan.mode === 'promote')
        return [];
    if (isRemote(context) || file === '-')
        return [];
    const dockerfile = file || external_node_path_.join(context, 'Dockerfile');
    const text = read(dockerfile);
    if (text === undefined)
        return [];
    const auto = Object.fromEntries(autoArgs.map(k => [k, buildArgs[k]]));
    return autoArgWarnings(parseDockerfileArgs(text), auto, dockerfile);
}
/** The gate: the plan's limits plus the ignore file (`trivyignore`, else `.trivyignore` when present). */
function gateSpec(plan) {
    const file = plan.scan.ignoreFile || (external_node_fs_.existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : '');
    const ignore = file ? parseIgnoreFile(external_node_fs_.readFileSync(file, 'utf8'), file) : [];
    return { max: plan.supply.gate.max, ignoreUnfixed: plan.supply.gate.ignoreUnfixed, ignore };
}
/**
 * Everything a later phase needs that can fail on the user's settings — the OIDC token, the tools
 * (found or downloaded and checked), the signing key and its password, the ignore file — resolved
 * before anything is built or pushed.
 */
async function prepare(plan, secrets, session) {
    if (plan.mode === 'build')
        return { tools: {} };
    const gate = plan.supply.scan ? gateSpec(plan) : undefined;
    if (plan.signing?.mode === 'keyless')
        assertOidcToken(process.env);
    // trivy and cosign are found (probed, or downloaded) side by side; the key derivation starts once cosign is.
    const trivyPath = plan.supply.scan || plan.supply.sbom !== 'none' ? toolPath('trivy', plan.tools, secrets) : undefined;
    const cosignSide = async () => {
        if (!plan.signing)
            return {};
        const cosign = await toolPath('cosign', plan.tools, secrets);
        const signing = await materializeKey(plan.signing, { key: secrets.cosignKey, password: secrets.cosignPassword }, session.dir);
        // Every run that signs verifies (publish after signing, promote the source or the target):
        // the derived public key is computed during the build instead of before the first verify.
        startPublicKey(cosign, signing);
        return { cosign, signing };
    };
    const [trivyResult, cosignResult] = await Promise.allSettled([trivyPath, cosignSide()]);
    if (trivyResult.status === 'rejected')
        throw trivyResult.reason;
    if (cosignResult.status === 'rejected')
        throw cosignResult.reason;
    const { cosign, signing } = cosignResult.value;
    return { tools: { trivy: trivyResult.value, cosign }, signing, gate };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./src/registry/auth.ts
// Registry credentials and challenges: Docker config lookup (pure + a small loader) and the
// WWW-Authenticate parser the client's auth flow runs on.





/**
 * Docker config keys come in many spellings: `ghcr.io`, `https://ghcr.io`, `https://ghcr.io/v2/`,
 * and `https://index.docker.io/v1/` for Docker Hub (what `docker login` writes). Compare hosts only.
 */
function dockerConfigKeyHost(key) {
    return key
        .trim()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
        .replace(/\/.*$/, '')
        .toLowerCase();
}
function decodeEntry(entry) {
    if (typeof entry.auth === 'string' && entry.auth.length > 0) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        // Split at the FIRST colon: user names cannot hold one, passwords and tokens can.
        const colon = decoded.indexOf(':');
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username.length > 0) {
        return { username: entry.username, password: entry.password };
    }
    return undefined;
}
/**
 * Credentials for `registry` from a parsed Docker config (`{auths: {...}}`); undefined when none.
 * An exact key wins over a normalised one. `credsStore`/`credHelpers` entries are not read: they
 * need the helper binary run, which is the login step's job, not this pure lookup's.
 * `identitytoken` entries (OAuth refresh tokens) are not supported either.
 */
function credentialsFromDockerConfig(config, registry) {
    if (typeof config !== 'object' || config === null)
        return undefined;
    const auths = config.auths;
    if (typeof auths !== 'object' || auths === null)
        return undefined;
    const entries = Object.entries(auths).filter((e) => typeof e[1] === 'object' && e[1] !== null);
    const host = registry.toLowerCase();
    const hub = reference_isDockerHub(host);
    const matches = (key) => {
        const keyHost = dockerConfigKeyHost(key);
        return hub ? reference_isDockerHub(keyHost) : keyHost === host;
    };
    const ordered = [
        ...entries.filter(([key]) => key === registry),
        ...(hub ? entries.filter(([key]) => key === 'https://index.docker.io/v1/') : []),
        ...entries.filter(([key]) => matches(key))
    ];
    for (const [, entry] of ordered) {
        const creds = decodeEntry(entry);
        if (creds)
            return creds;
    }
    return undefined;
}
/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (docker's own rule). */
function dockerConfigPath(env = process.env, home = (0,external_node_os_.homedir)()) {
    return external_node_path_default().join(env.DOCKER_CONFIG || external_node_path_default().join(home, '.docker'), 'config.json');
}
/**
 * Reads credentials for `registry` from a Docker config file. A missing file means "no
 * credentials" (anonymous access); a file that is not JSON is an error naming the file.
 */
function loadDockerCredentials(registry, file = dockerConfigPath()) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw new Error(`Cannot read Docker config ${file}: ${e.message}`);
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        // The parse message can quote the file's text, which holds secrets: name the file only.
        throw new Error(`Docker config ${file} is not valid JSON`);
    }
    return credentialsFromDockerConfig(parsed, registry);
}
function basicAuthorization(c) {
    return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/**
 * Parses a WWW-Authenticate header (RFC 7235) into its challenges. Values may be quoted strings
 * holding commas and spaces (`scope="repository:a:pull repository:b:pull,push"`), which is why a
 * split on commas is not enough. Unparseable trailing text is ignored rather than thrown on: the
 * caller decides what a challenge without a realm means.
 */
function parseWwwAuthenticate(header) {
    const s = header;
    let i = 0;
    const skip = (chars) => {
        while (i < s.length && chars.test(s[i]))
            i++;
    };
    const token = () => {
        const start = i;
        while (i < s.length && TOKEN_CHAR.test(s[i]))
            i++;
        return s.slice(start, i);
    };
    const value = () => {
        if (s[i] !== '"') {
            const start = i;
            while (i < s.length && s[i] !== ',' && !/\s/.test(s[i]))
                i++;
            return s.slice(start, i);
        }
        i++;
        let out = '';
        while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length)
                i++;
            out += s[i++];
        }
        i++; // closing quote
        return out;
    };
    const challenges = [];
    let current;
    while (i < s.length) {
        skip(/[\s,]/);
        const start = i;
        const name = token();
        if (!name) {
            i++; // stray character: step over it
            continue;
        }
        skip(/[ \t]/);
        if (s[i] === '=' && current) {
            i++;
            skip(/[ \t]/);
            current.params[name.toLowerCase()] = value();
            continue;
        }
        if (s[i] === '=' && !current) {
            // token68 or a parameter with no scheme before it: nothing usable
            i = start + name.length + 1;
            value();
            continue;
        }
        current = { scheme: name.toLowerCase(), params: {} };
        challenges.push(current);
    }
    return challenges;
}
/*
 * Credentials as local tools find them (the CLI outside GitHub): the auth files docker and podman
 * read, in the order podman documents (REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json,
 * then the docker config), each file's `auths` first, then its `credHelpers` entry for the registry,
 * then its `credsStore`.
 */
function localAuthFiles(env = process.env, home = homedir()) {
    const files = [
        env.REGISTRY_AUTH_FILE,
        env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined,
        dockerConfigPath(env, home)
    ];
    return [...new Set(files.filter((f) => !!f))];
}
/** The credential helper a parsed config names for `registry`: its credHelpers entry, else credsStore. */
function helperFor(config, registry) {
    if (typeof config !== 'object' || config === null)
        return undefined;
    const c = config;
    if (typeof c.credHelpers === 'object' && c.credHelpers !== null) {
        const host = registry.toLowerCase();
        const hub = isDockerHub(host);
        for (const [key, helper] of Object.entries(c.credHelpers)) {
            const keyHost = dockerConfigKeyHost(key);
            if (typeof helper === 'string' && (hub ? isDockerHub(keyHost) : keyHost === host))
                return helper;
        }
    }
    return typeof c.credsStore === 'string' && c.credsStore !== '' ? c.credsStore : undefined;
}
const runHelper = (program, server) => execFileSync(program, ['get'], { input: server, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
/**
 * A helper's answer `{"ServerURL","Username","Secret"}`. Username `<token>` is an identity token
 * (OAuth refresh token), which registries take only through the token flow: not supported, as in
 * credentialsFromDockerConfig. A helper that knows nothing exits non-zero ("credentials not found").
 */
function parseHelperOutput(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    const d = (doc ?? {});
    if (typeof d.Username !== 'string' || typeof d.Secret !== 'string')
        return undefined;
    if (d.Username === '' || d.Username === '<token>' || d.Secret === '')
        return undefined;
    return { username: d.Username, password: d.Secret };
}
/** What the helper is asked for: docker asks Docker Hub as its historical index URL. */
const helperServer = (registry) => (isDockerHub(registry) ? 'https://index.docker.io/v1/' : registry);
function helperCredentials(helper, registry, run = runHelper) {
    if (!/^[A-Za-z0-9_.-]+$/.test(helper))
        throw new Error(`credential helper name "${helper}" is not a program name`);
    let out;
    try {
        out = run(`docker-credential-${helper}`, helperServer(registry));
    }
    catch {
        // Not installed, or it has nothing for this registry: docker treats both as "no credentials".
        return undefined;
    }
    return parseHelperOutput(out);
}
/** GitLab CI's job credentials for its own registry (CI_REGISTRY may carry a port). */
function gitlabRegistryCredentials(env, registry) {
    const own = (env.CI_REGISTRY ?? '').toLowerCase();
    if (!own || own !== registry.toLowerCase())
        return undefined;
    if (!env.CI_REGISTRY_USER || !env.CI_REGISTRY_PASSWORD)
        return undefined;
    return { username: env.CI_REGISTRY_USER, password: env.CI_REGISTRY_PASSWORD };
}
/** The first credentials a local tool would use for `registry`, or undefined (anonymous). */
function localCredentials(registry, env = process.env, home = homedir(), run = runHelper) {
    const gitlab = gitlabRegistryCredentials(env, registry);
    if (gitlab)
        return gitlab;
    for (const file of localAuthFiles(env, home)) {
        let parsed;
        try {
            parsed = JSON.parse(readFileSync(file, 'utf8'));
        }
        catch (e) {
            if (e.code === 'ENOENT')
                continue;
            throw new Error(`auth file ${file} is not readable JSON`);
        }
        const direct = credentialsFromDockerConfig(parsed, registry);
        if (direct)
            return direct;
        const helper = helperFor(parsed, registry);
        if (helper) {
            const viaHelper = helperCredentials(helper, registry, run);
            if (viaHelper)
                return viaHelper;
        }
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
;// CONCATENATED MODULE: ./src/registry/blob-source.ts
// Where an uploaded blob's bytes come from: a file of an OCI layout, another registry, or (small
// blobs, tests) memory. A source can be opened again at an offset, so a retried upload resumes
// (or restarts) without ever holding the blob in memory.

/** Pieces read from disk: large enough for throughput, small enough to stay out of the RSS. */
const FILE_PIECE_BYTES = 1024 * 1024;
function fileBlobSource(file, origin = `file ${file}`) {
    const { size } = (0,external_node_fs_.statSync)(file);
    return {
        size,
        origin,
        open: offset => (0,external_node_fs_.createReadStream)(file, { start: offset, highWaterMark: FILE_PIECE_BYTES })
    };
}
function bufferBlobSource(data, origin = 'memory') {
    return {
        size: data.length,
        origin,
        open: async function* (offset) {
            for (let at = offset; at < data.length; at += FILE_PIECE_BYTES)
                yield data.subarray(at, at + FILE_PIECE_BYTES);
        }
    };
}
/**
 * Bytes a source is read ahead of its consumer (per transfer). A copy reads a GET body and writes
 * a PATCH body: without a buffer between them each side waits for the other piece by piece, and
 * the download stalls whenever a chunk's answer is awaited. Bounded: a few transfers in flight
 * hold a few of these, never a blob.
 */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;
/**
 * `pieces` read eagerly into a queue of at most `maxBytes` (one piece past it at most), handed on
 * as they came, or joined up to `pieceBytes` when that is given. Not joined by default: the
 * upload writes node Buffers to a socket (http-stream.ts), where a join is only a copy; joining
 * paid off when every piece cost a web-stream hop. A failure of the source reaches the consumer after the bytes
 * read before it. Leaving early stops reading and closes the source.
 */
async function* readAhead(pieces, maxBytes = READ_AHEAD_BYTES, pieceBytes = 0) {
    const it = pieces[Symbol.asyncIterator]();
    const queue = [];
    let queued = 0;
    let ended = false;
    let stopped = false;
    let failure;
    let wakeConsumer;
    let wakeProducer;
    const wake = (which) => {
        const fn = which === 'consumer' ? wakeConsumer : wakeProducer;
        if (which === 'consumer')
            wakeConsumer = undefined;
        else
            wakeProducer = undefined;
        fn?.();
    };
    const producer = (async () => {
        try {
            while (!stopped) {
                if (queued >= maxBytes) {
                    await new Promise(resolve => (wakeProducer = resolve));
                    continue;
                }
                const r = await it.next();
                if (r.done)
                    break;
                if (r.value.length === 0)
                    continue;
                queue.push(r.value);
                queued += r.value.length;
                wake('consumer');
            }
        }
        catch (error) {
            failure = { error };
        }
        finally {
            ended = true;
            wake('consumer');
        }
    })();
    try {
        for (;;) {
            if (queue.length === 0) {
                if (ended) {
                    if (failure)
                        throw failure.error;
                    return;
                }
                await new Promise(resolve => (wakeConsumer = resolve));
                continue;
            }
            const parts = [];
            let n = 0;
            while (queue.length > 0 && (n === 0 || n + queue[0].length <= pieceBytes)) {
                const p = queue.shift();
                parts.push(p);
                n += p.length;
            }
            queued -= n;
            wake('producer');
            yield parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
        }
    }
    finally {
        stopped = true;
        wake('producer');
        // The producer may sit in a read of a stalled source: close it once that read returns (the
        // source's own deadline ends it), without making the consumer wait for it.
        void producer.then(() => it.return?.()).catch(() => undefined);
    }
}
/** A failure of the source (disk, the registry copied from), as opposed to the target registry. */
class SourceError extends Error {
    constructor(message, cause) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = 'SourceError';
    }
}
/** What was read does not hash to the digest: never retried, the upload is never committed. */
class BlobDigestError extends Error {
    /** A code no retry list holds: the retry policy judges a network error by its cause's codes. */
    code = 'EBLOBDIGEST';
    constructor(message) {
        super(message);
        this.name = 'BlobDigestError';
    }
}
/** Reads a source's pieces in slices of at most `max` bytes, keeping what is left over. */
class ByteReader {
    describe;
    it;
    rest;
    constructor(pieces, describe) {
        this.describe = describe;
        this.it = pieces[Symbol.asyncIterator]();
    }
    /** Up to `max` bytes; undefined at the end of the source. */
    async read(max) {
        let piece = this.rest;
        this.rest = undefined;
        while (!piece || piece.length === 0) {
            let r;
            try {
                r = await this.it.next();
            }
            catch (err) {
                throw new SourceError(`${this.describe}: ${err instanceof Error ? err.message : String(err)}`, err);
            }
            if (r.done)
                return undefined;
            piece = r.value;
        }
        if (piece.length > max) {
            this.rest = piece.subarray(max);
            return piece.subarray(0, max);
        }
        return piece;
    }
    async close() {
        try {
            await this.it.return?.();
        }
        catch {
            // a source that broke cannot be closed any further
        }
    }
}

;// CONCATENATED MODULE: ./src/registry/limit.ts
// A bound on how many transfers run at once. Memory per transfer is a few pieces of a MiB, so the
// bound is about not flooding the link and the registries (several engineers' runners share both).
function limit(concurrency) {
    const max = Math.max(1, Math.floor(concurrency));
    let running = 0;
    const waiting = [];
    return async (fn) => {
        // A finishing task hands its slot straight to the next waiter, so no newcomer slips in between.
        if (running >= max)
            await new Promise(resolve => waiting.push(resolve));
        else
            running++;
        try {
            return await fn();
        }
        finally {
            const next = waiting.shift();
            if (next)
                next();
            else
                running--;
        }
    };
}
/** Manifest requests in flight per copy: the walk over children and referrers goes this wide. */
const DEFAULT_REQUEST_CONCURRENCY = 8;
/** Blobs in flight per copy or push (each may go to its own registry). */
const DEFAULT_BLOB_CONCURRENCY = 4;
/**
 * Blob uploads in flight in the whole process, across every registry and copy: promoting to
 * several registries at once cannot multiply the transfers past this.
 */
const PROCESS_BLOB_TRANSFERS = 6;
const blobTransfers = limit(PROCESS_BLOB_TRANSFERS);

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
;// CONCATENATED MODULE: ./src/registry/realm.ts
// Which token realms the client may send credentials to: the rules of go-containerregistry
// (pkg/v1/remote/transport/bearer.go, validateRealmURL), which cosign and trivy run on. A realm our
// client accepted but they refuse would let a run push and then fail at scan or sign, so the two
// must agree. Pure.

/** The IPv6 address as 16 bytes; undefined when `s` is not one (zone ids are not accepted). */
function ipv6Bytes(s) {
    if ((0,external_node_net_.isIP)(s) !== 6)
        return undefined;
    let text = s;
    const tail = [];
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        tail.push(...v4[1].split('.').map(Number));
        text = `${text.slice(0, -v4[1].length)}0:0`;
    }
    const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
    const groups = (part) => (part ? part.split(':').map(g => parseInt(g, 16)) : []);
    const h = groups(head);
    const r = rest === undefined ? [] : groups(rest);
    const all = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill(0), ...r];
    const bytes = all.flatMap(g => [g >> 8, g & 0xff]);
    if (tail.length === 4)
        bytes.splice(12, 4, ...tail);
    return bytes;
}
/** IPv4 as 4 bytes, also when written as an IPv4-mapped IPv6 address (Go's To4 does the same). */
function ipv4Bytes(s) {
    if ((0,external_node_net_.isIP)(s) === 4)
        return s.split('.').map(Number);
    const b = ipv6Bytes(s);
    if (b && b.slice(0, 10).every(x => x === 0) && b[10] === 0xff && b[11] === 0xff)
        return b.slice(12);
    return undefined;
}
/**
 * Go's IsLoopback || IsLinkLocalUnicast || IsLinkLocalMulticast || IsPrivate || IsUnspecified, for
 * an IP literal; false for a host name (ggcr does not resolve names either).
 */
function isPrivateOrLinkLocal(host) {
    const h = host.replace(/^\[|\]$/g, '');
    const v4 = ipv4Bytes(h);
    if (v4) {
        const [a, b, c] = v4;
        return (a === 127 || // loopback
            (a === 169 && b === 254) || // link-local unicast (the cloud metadata service)
            (a === 224 && b === 0 && c === 0) || // link-local multicast
            a === 10 ||
            (a === 172 && (b & 0xf0) === 16) ||
            (a === 192 && b === 168) ||
            v4.every(x => x === 0));
    }
    const v6 = ipv6Bytes(h);
    if (!v6)
        return false;
    const zero = v6.slice(0, 15).every(x => x === 0);
    return ((zero && (v6[15] === 1 || v6[15] === 0)) || // ::1 loopback, :: unspecified
        (v6[0] === 0xfe && (v6[1] & 0xc0) === 0x80) || // fe80::/10
        (v6[0] === 0xff && (v6[1] & 0x0f) === 0x02) || // ff02::/16 (any flags)
        (v6[0] & 0xfe) === 0xfc // fc00::/7
    );
}
/**
 * Why the client must not fetch a token from `realm`, or undefined when it may. `registryHost` is
 * the `host[:port]` the registry is reached on. https always; http only for an insecure registry;
 * a realm on the registry's own host:port always; otherwise no private, loopback, link-local or
 * unspecified IP literal. The same check applies to every redirect of the token request.
 */
function realmProblem(realm, registryHost, insecure) {
    let url;
    try {
        url = new URL(realm);
    }
    catch {
        return 'it is not a URL';
    }
    if (url.protocol === 'http:') {
        if (!insecure)
            return 'it is plain http and the registry is not listed as insecure; use https';
    }
    else if (url.protocol !== 'https:') {
        return `its scheme "${url.protocol.replace(/:$/, '')}" is neither https nor (for an insecure registry) http`;
    }
    if (registryHost && url.host.toLowerCase() === registryHost.toLowerCase())
        return undefined;
    if (isPrivateOrLinkLocal(url.hostname)) {
        return `its host ${url.hostname} is a private or link-local address and not the registry's own host ${registryHost} (go-containerregistry, inside cosign and trivy, refuses it too)`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/registry/retry.ts
// Retry policy for registry calls: transient failures (overload, restarts, dropped connections)
// are retried with exponential backoff and jitter; anything a retry cannot fix (auth, not found,
// bad request, TLS trust) fails at once so the user sees the real error quickly.
// Pure except for sleeping, which tests replace.
const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 30_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Request timeout, throttling, and the 5xx a proxy or a restarting registry answers. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Error codes of a connection that broke or never came up; the same request may well succeed. */
const RETRYABLE_ERROR_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT'
]);
const RETRYABLE_MESSAGES = [/socket hang up/i, /fetch failed/i, /other side closed/i];
function isRetryableStatus(status) {
    return RETRYABLE_STATUSES.has(status);
}
/** An error's cause chain (undici wraps the socket error in TypeError('fetch failed')). */
function causeChain(err) {
    const chain = [];
    for (let e = err; e !== undefined && e !== null && chain.length < 8; e = e.cause) {
        chain.push(e);
        if (typeof e !== 'object')
            break;
    }
    return chain;
}
/**
 * Whether a thrown (network-level) error is worth another attempt. A code anywhere in the cause
 * chain decides: a listed one retries, any other (ENOTFOUND, a certificate error) does not, since
 * "fetch failed" wraps both. Without a code, the message decides. Timeouts of our own request
 * deadline (AbortSignal.timeout → TimeoutError) retry as ETIMEDOUT would.
 */
function isRetryableError(err) {
    const chain = causeChain(err);
    const codes = chain
        .map(e => (typeof e === 'object' && e !== null ? e.code : undefined))
        .filter((c) => typeof c === 'string');
    if (codes.length > 0)
        return codes.some(c => RETRYABLE_ERROR_CODES.has(c));
    // Duck-typed, not instanceof: undici's errors come from another realm under some runners (jest's vm).
    return chain.some(e => {
        if (typeof e !== 'object' || e === null)
            return false;
        const { name, message } = e;
        return name === 'TimeoutError' || (typeof message === 'string' && RETRYABLE_MESSAGES.some(re => re.test(message)));
    });
}
/**
 * Retry-After as milliseconds: delta-seconds (`120`) or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
function parseRetryAfter(value, nowMs) {
    if (value === null || value === undefined)
        return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    if (!/[a-z]/i.test(v))
        return undefined; // an HTTP date names its day and month; Date.parse('-5') is a year
    const when = Date.parse(v);
    return Number.isNaN(when) ? undefined : Math.max(0, when - nowMs);
}
/**
 * Delay after the `attempt`-th failure: base·2^(attempt-1) capped, with "equal jitter" (half fixed,
 * half random) so many runners hitting one registry do not retry in lockstep.
 */
function backoffDelay(attempt, options = {}) {
    const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    const random = options.random ?? Math.random;
    const exp = Math.min(max, base * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (exp / 2) * random());
}
function statusOf(err) {
    if (typeof err !== 'object' || err === null)
        return undefined;
    const status = err.status;
    if (typeof status !== 'number')
        return undefined;
    const retryAfterMs = err.retryAfterMs;
    return { status, retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined };
}
/**
 * The delay before retrying after `err` failed attempt `attempt`, or undefined when `err` is
 * permanent. Errors with a numeric `status` are judged by it (Retry-After wins over backoff, capped);
 * others by isRetryableError.
 */
function retryDelay(err, attempt, options = {}) {
    const failure = statusOf(err);
    if (failure) {
        if (!isRetryableStatus(failure.status))
            return undefined;
        if (failure.retryAfterMs !== undefined) {
            return Math.min(failure.retryAfterMs, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
        }
        return backoffDelay(attempt, options);
    }
    return isRetryableError(err) ? backoffDelay(attempt, options) : undefined;
}
const realSleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
/**
 * Runs `fn` until it resolves, fails permanently, or the attempts run out; then rethrows the last
 * error unchanged (the caller's message already names what broke). `fn` gets the attempt number.
 */
async function withRetry(fn, options = {}, onRetry) {
    const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
    const sleep = options.sleep ?? realSleep;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            const delayMs = attempt < attempts ? retryDelay(error, attempt, options) : undefined;
            if (delayMs === undefined)
                throw error;
            onRetry?.({ attempt, attempts, delayMs, error });
            await sleep(delayMs);
        }
    }
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./src/registry/idle.ts
// The progress deadline's abort reason (fetch in transport.ts and node:http in http-stream.ts) and how much
// longer node:http waits for the answer once a blob body is sent.
/** The abort reason: named TimeoutError so the retry policy treats it as AbortSignal.timeout's. */
function idleTimeoutError(idleMs) {
    const s = idleMs / 1000;
    const err = new Error(`no progress for ${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`);
    err.name = 'TimeoutError';
    return err;
}
/**
 * After the last request byte was handed to the socket, the answer may take longer than a gap in
 * a transfer: kernel buffers still drain, and a registry verifies (or moves to its storage) a
 * multi-GiB blob before it answers the commit.
 */
const ANSWER_WAIT_FACTOR = 5;

;// CONCATENATED MODULE: ./src/registry/http-stream.ts
// Blob bytes over node:http instead of fetch. A multi-GiB copy is CPU-bound on a small runner:
// our process, the registry we read from and the one we write to share the cores. fetch moves
// every 64 KiB read through several web-stream layers (a promise and an object each), and that
// was most of our CPU per GiB; node's streams hand the socket's Buffers on as they are. Only the
// requests that stream (a blob download, a PATCH/PUT of blob bytes) come here; everything else
// (manifests, tokens, HEADs) stays on fetch.
//
// The deadline is on progress, as transport.ts explains: one timer, refreshed per piece moved.



// Keep-alive: a copy's PATCH chunks and GETs reuse connections, as fetch's pool did. Free
// sockets are unref'd by the agent, so they never keep the process alive.
const agents = {
    'http:': new (external_node_http_default()).Agent({ keepAlive: true }),
    'https:': new (external_node_https_default()).Agent({ keepAlive: true })
};
const MAX_REDIRECTS = 10;
/** What a non-blob answer (an error's body, an upload's JSON) is read up to; the rest is dropped. */
const TEXT_LIMIT = 1024 * 1024;
class Deadline {
    baseMs;
    timer;
    idleMs;
    onExpire = () => undefined;
    constructor(baseMs) {
        this.baseMs = baseMs;
        this.idleMs = baseMs;
        this.timer = this.arm();
    }
    arm() {
        const t = setTimeout(() => this.onExpire(idleTimeoutError(this.idleMs)), this.idleMs);
        t.unref();
        return t;
    }
    expires(fn) {
        this.onExpire = fn;
    }
    /** Refresh, not a new timer: this runs for every 64 KiB that moves. */
    touch() {
        this.timer.refresh();
    }
    wait(ms) {
        clearTimeout(this.timer);
        this.idleMs = ms;
        this.timer = this.arm();
    }
    /** The body is sent: the answer may take longer (the registry verifies a whole blob). */
    bodySent() {
        this.wait(this.baseMs * ANSWER_WAIT_FACTOR);
    }
    answered() {
        this.wait(this.baseMs);
    }
    done() {
        clearTimeout(this.timer);
        this.onExpire = () => undefined;
    }
}
/**
 * The answer to a streamed request: what client.ts and upload.ts use of a fetch Response
 * (status, headers, text/json, body.cancel), plus `pieces()`, the body as node Buffers.
 */
class StreamResponse {
    status;
    statusText;
    msg;
    deadline;
    finish;
    ok;
    headers;
    consumed = false;
    constructor(status, statusText, msg, deadline, finish) {
        this.status = status;
        this.statusText = statusText;
        this.msg = msg;
        this.deadline = deadline;
        this.finish = finish;
        this.ok = status >= 200 && status < 300;
        this.headers = new Headers();
        for (const [k, v] of Object.entries(msg.headers)) {
            if (v === undefined)
                continue;
            for (const one of Array.isArray(v) ? v : [v])
                this.headers.append(k, one);
        }
    }
    /** The body's pieces as they arrive; the deadline runs until the end. Read once. */
    async *pieces() {
        this.consumed = true;
        let complete = false;
        try {
            for await (const piece of this.msg) {
                this.deadline.touch();
                yield piece;
            }
            complete = true;
        }
        finally {
            this.deadline.done();
            // Left early (a failed upload, a size check): this connection cannot be reused.
            if (!complete)
                this.msg.destroy();
            this.finish();
        }
    }
    /** For callers written against fetch: `body.cancel()` drops what is left. */
    get body() {
        return {
            cancel: async () => {
                if (this.consumed)
                    return;
                this.consumed = true;
                this.deadline.done();
                if (this.msg.complete)
                    this.msg.resume();
                else
                    this.msg.destroy();
                this.finish();
            }
        };
    }
    async arrayBuffer() {
        const parts = [];
        let n = 0;
        for await (const p of this.pieces()) {
            if (n < TEXT_LIMIT)
                parts.push(p);
            n += p.length;
        }
        const b = Buffer.concat(parts);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
    }
    async text() {
        return Buffer.from(await this.arrayBuffer()).toString('utf8');
    }
    async json() {
        return JSON.parse(await this.text());
    }
}
/** The request sent, its body written with backpressure; resolves once the answer's headers came. */
function once(url, init, deadline) {
    const lib = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    return new Promise((resolve, reject) => {
        let answered = false;
        let bodyDone = !init.body;
        let stopBody = false;
        const req = lib.request(url, { method: init.method, headers: init.headers, agent: agents[url.protocol] });
        const fail = (err) => {
            deadline.done();
            req.destroy(err);
            if (!answered)
                reject(err);
        };
        deadline.expires(err => {
            req.destroy(err);
            if (!answered)
                reject(err);
        });
        req.on('error', err => {
            deadline.done();
            if (!answered)
                reject(err);
        });
        req.on('response', msg => {
            answered = true;
            deadline.answered();
            // The registry answered before it had the whole body (an early 401/404/413): stop sending.
            if (!bodyDone)
                stopBody = true;
            const finish = () => {
                if (!bodyDone)
                    req.destroy();
            };
            msg.on('error', () => undefined); // seen by whoever iterates pieces()
            deadline.expires(err => {
                msg.destroy(err);
                req.destroy(err);
            });
            resolve(new StreamResponse(msg.statusCode ?? 0, msg.statusMessage ?? '', msg, deadline, finish));
        });
        if (!init.body) {
            // Nothing to verify before answering: the headers are due within the idle time itself.
            req.end();
            return;
        }
        const body = init.body;
        void (async () => {
            try {
                for await (const piece of body) {
                    if (stopBody)
                        return;
                    deadline.touch();
                    if (!req.write(piece)) {
                        await new Promise(resolve => {
                            const go = () => {
                                req.off('drain', go);
                                req.off('close', go);
                                resolve();
                            };
                            req.on('drain', go);
                            req.on('close', go);
                        });
                        if (req.destroyed)
                            return;
                    }
                }
                bodyDone = true;
                req.end();
                if (!answered)
                    deadline.bodySent();
            }
            catch (err) {
                // The body itself broke (a digest mismatch, the source): the request must not complete.
                fail(err instanceof Error ? err : new Error(String(err)));
            }
        })();
    });
}
/**
 * One streamed exchange under a progress deadline of `idleMs`. Redirects are followed only for
 * `follow` (a body cannot be sent twice); Authorization is not carried to another origin, and an
 * https URL never redirects to http.
 */
async function streamFetch(url, init, idleMs) {
    let at = new URL(url);
    let headers = init.headers;
    for (let hop = 0;; hop++) {
        const deadline = new Deadline(idleMs);
        const res = await once(at, { ...init, headers }, deadline);
        const location = res.headers.get('location');
        if (!init.follow || init.body || ![301, 302, 303, 307, 308].includes(res.status) || !location)
            return res;
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS)
            throw new Error(`more than ${MAX_REDIRECTS} redirects from ${new URL(url).origin}`);
        const next = new URL(location, at);
        if (at.protocol === 'https:' && next.protocol !== 'https:') {
            throw new Error(`a redirect from ${at.origin} to ${next.origin} leaves https`);
        }
        if (next.origin !== at.origin)
            headers = withoutAuthorization(headers);
        at = next;
    }
}
function withoutAuthorization(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}

;// CONCATENATED MODULE: ./src/registry/transport.ts
// fetch with a PROGRESS deadline: the request is aborted when no byte moved (headers or response
// bytes arrived) for `idleMs`, not when the whole exchange takes long. fetch carries only small
// bodies (Buffers: manifests, tokens, commits); blob bytes go by node:http (http-stream.ts), under
// the same kind of deadline. A 5 GiB layer over a slow link takes as long as it takes; a dead
// connection is noticed in idleMs.


class ProgressDeadline {
    baseMs;
    controller = new AbortController();
    timer;
    finished = false;
    idleMs;
    constructor(baseMs) {
        this.baseMs = baseMs;
        this.idleMs = baseMs;
        this.touch();
    }
    /** The answer's headers came: back to the idle deadline for its body. */
    answered() {
        this.idleMs = this.baseMs;
        this.touch();
    }
    get signal() {
        return this.controller.signal;
    }
    touch() {
        if (this.finished)
            return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.controller.abort(idleTimeoutError(this.idleMs)), this.idleMs);
        // A pending socket keeps the process alive anyway; the timer alone must not.
        this.timer.unref();
    }
    done() {
        this.finished = true;
        clearTimeout(this.timer);
    }
}
/** A response body passed through unchanged, touching the deadline per piece; its end ends the deadline. */
function touchingStream(body, deadline) {
    const reader = body.getReader();
    return new ReadableStream({
        async pull(controller) {
            try {
                const { done, value } = await reader.read();
                deadline.touch();
                if (done) {
                    deadline.done();
                    controller.close();
                }
                else
                    controller.enqueue(value);
            }
            catch (err) {
                deadline.done();
                controller.error(err);
            }
        },
        async cancel(reason) {
            deadline.done();
            await reader.cancel(reason);
        }
    });
}
function isPieces(body) {
    return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && Symbol.asyncIterator in body;
}
/** A streamed answer's body as node Buffers; undefined for an answer that came by fetch. */
function piecesOfAnswer(res) {
    const answer = res;
    return answer instanceof StreamResponse ? answer.pieces() : undefined;
}
/**
 * One exchange under a progress deadline. The returned Response's body keeps the deadline running
 * until it is read to its end or cancelled; a response without a body ends it at once. A streamed
 * body, or a blob answer, goes by node:http and comes back as a StreamResponse (a Response to
 * its callers: status, headers, text/json, body.cancel).
 */
async function timedFetch(url, init, idleMs) {
    if (isPieces(init.body) || init.stream) {
        const body = isPieces(init.body) ? init.body : undefined;
        const res = await streamFetch(url, { method: init.method, headers: init.headers, body, follow: !body && init.redirect !== 'manual' }, idleMs);
        return res;
    }
    const deadline = new ProgressDeadline(idleMs);
    let res;
    try {
        res = await fetch(url, {
            method: init.method,
            headers: init.headers,
            body: init.body,
            redirect: init.redirect ?? 'follow',
            signal: deadline.signal
        });
    }
    catch (err) {
        deadline.done();
        throw deadline.signal.aborted && deadline.signal.reason instanceof Error
            ? withCause(deadline.signal.reason, err)
            : err;
    }
    deadline.answered();
    if (!res.body) {
        deadline.done();
        return res;
    }
    return new Response(touchingStream(res.body, deadline), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers
    });
}
function withCause(reason, err) {
    if (reason === err)
        return reason;
    const e = new Error(reason.message, { cause: err });
    e.name = reason.name;
    return e;
}

;// CONCATENATED MODULE: ./src/registry/upload.ts
// Streaming blob upload (OCI distribution spec, "pushing blobs"): POST a session, PATCH the bytes
// in chunks (Content-Range), PUT ?digest= to commit. A registry that refuses a chunked PATCH gets
// one streaming monolithic PUT instead, remembered for the client's lifetime. The digest is
// computed over what is read from the source as it passes; a mismatch stops the upload before the
// registry could commit it. Nothing holds more than a piece (≈1 MiB) of the blob.
//
// Failures: a chunk that breaks off resumes at the registry's offset when that is a chunk boundary
// (GET on the upload URL; the hash state saved there is restored), else a NEW session starts from
// byte 0. A session the registry dropped (404) is never re-sent to. Consecutive failures without
// progress are bounded by the retry policy's attempts.



/** First PATCH size, and the smallest: how much at most is sent again after a broken connection. */
const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;
/** The largest PATCH a grown chunk size reaches. */
const MAX_CHUNK_BYTES = 1024 * 1024 * 1024;
/** What a grown chunk aims to take at the measured rate: the re-send a broken connection costs. */
const CHUNK_SECONDS = 4;
/**
 * The next PATCH's size from the last one's rate: about CHUNK_SECONDS of sending, never below
 * `floor` (the first size, or the registry's OCI-Chunk-Min-Length) nor above MAX_CHUNK_BYTES.
 * A fixed 64 MiB cost a round trip and a registry-side reopen per 64 MiB, measured on the bed's
 * distribution: a 2 GiB copy took 14.7 s in 64 MiB chunks and 13.5 s in one; on a 5 MB/s link
 * the chunks stay at 64 MiB, so a break costs what it did.
 */
function nextChunkBytes(sentBytes, seconds, floor) {
    if (!(seconds > 0) || sentBytes <= 0)
        return floor;
    const aimed = Math.floor((sentBytes / seconds) * CHUNK_SECONDS);
    return Math.max(floor, Math.min(MAX_CHUNK_BYTES, aimed));
}
/** Answers to a first PATCH that mean "no chunked uploads here", not "this upload is broken". */
const CHUNKS_REFUSED = new Set([400, 405, 411, 415, 416, 501]);
class SessionLost extends Error {
    response;
    constructor(response) {
        super(response.message);
        this.response = response;
        this.name = 'SessionLost';
    }
}
class ChunksRefused extends Error {
    response;
    constructor(response) {
        super(response.message);
        this.response = response;
        this.name = 'ChunksRefused';
    }
}
async function discard(res) {
    try {
        await res.body?.cancel();
    }
    catch {
        // already consumed
    }
}
/**
 * Our own error anywhere in a cause chain. Not for errors thrown inside a request body: fetch
 * passes those on as a new Error with the text only (see bodyFailure).
 */
function find(err, name) {
    for (let e = err, n = 0; e !== undefined && e !== null && n < 8; e = e.cause, n++) {
        if (typeof e === 'object' && e.name === name)
            return e;
    }
    return undefined;
}
const upload_realSleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
function withDigest(location, digest) {
    const url = new URL(location, 'http://registry');
    url.searchParams.set('digest', digest);
    return `${url.pathname}${url.search}`;
}
class Upload {
    h;
    repository;
    digest;
    source;
    algorithm;
    location;
    offset = 0;
    hash;
    saved;
    reader;
    /** What broke the request body we streamed (the digest check, the source), kept as thrown. */
    bodyFailure;
    chunkBytes;
    /** The first chunk size (or the registry's minimum): what a grown size never goes below. */
    chunkFloor;
    label;
    constructor(h, repository, digest, source) {
        this.h = h;
        this.repository = repository;
        this.digest = digest;
        this.source = source;
        this.algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
        this.hash = (0,external_node_crypto_.createHash)(this.algorithm);
        this.saved = { offset: 0, hash: this.hash.copy() };
        this.chunkBytes = Math.max(1, h.chunkBytes);
        this.chunkFloor = this.chunkBytes;
        this.label = `blob ${digest} (${source.size} B from ${source.origin})`;
    }
    async run() {
        const attempts = Math.max(1, this.h.retry.attempts ?? DEFAULT_ATTEMPTS);
        let failures = 0;
        try {
            for (;;) {
                const before = this.offset;
                this.bodyFailure = undefined;
                try {
                    if (!this.location)
                        await this.start();
                    this.reader ??= new ByteReader(await this.source.open(this.offset), `reading blob ${this.digest} from ${this.source.origin}`);
                    if (this.h.chunked === false) {
                        await this.putWhole();
                    }
                    else {
                        while (this.offset < this.source.size) {
                            await this.patch();
                            failures = 0; // progress: a long upload over a flaky link may fail more than `attempts` times in all
                        }
                        await this.commit();
                    }
                    return;
                }
                catch (thrown) {
                    const raw = this.bodyFailure ?? thrown;
                    const digestError = find(raw, 'BlobDigestError');
                    if (digestError) {
                        await this.cancel();
                        throw this.h.error(this.op('upload'), digestError.message);
                    }
                    const refused = find(raw, 'ChunksRefused');
                    if (refused && before === 0 && this.h.chunked !== false) {
                        this.h.chunked = false;
                        this.h.log(`registry ${this.h.registry}: no chunked uploads (${refused.response.detail}); uploading whole`);
                        await this.restart();
                        continue;
                    }
                    failures++;
                    const lost = find(raw, 'SessionLost');
                    const source = find(raw, 'SourceError');
                    // A lost session is worth a new one; a source failure is judged by what broke there.
                    const basis = lost ? Object.assign(new Error(lost.message), { code: 'ECONNRESET' }) : (source?.cause ?? raw);
                    const delay = failures < attempts ? retryDelay(basis, failures, this.h.retry) : undefined;
                    if (delay === undefined) {
                        await this.cancel();
                        throw this.finalError(raw, lost, source, failures);
                    }
                    this.h.log(`registry ${this.h.registry}: upload of ${this.label} to ${this.repository}: ${this.why(raw, lost, source)}; attempt ${failures + 1}/${attempts} in ${delay} ms`);
                    await (this.h.sleep ?? upload_realSleep)(delay);
                    await this.recover(!!lost);
                }
            }
        }
        finally {
            await this.reader?.close();
        }
    }
    op(what, method = 'upload') {
        return this.h.operation(method, what === 'upload' ? 'blob' : what, this.repository, this.digest);
    }
    why(raw, lost, source) {
        if (lost)
            return `the upload session is gone (${lost.response.detail})`;
        if (source)
            return source.message;
        if (typeof raw === 'object' && raw !== null && raw.name === 'RegistryError') {
            return `${raw.operation}: ${raw.detail}`;
        }
        return raw instanceof Error ? raw.message : String(raw);
    }
    finalError(raw, lost, source, n) {
        const suffix = n > 1 ? ` after ${n} attempts` : '';
        if (lost)
            return this.h.error(this.op('upload'), `${this.why(raw, lost)}${suffix}`, lost.response.status);
        if (source)
            return this.h.error(this.op('upload'), `${source.message}${suffix}`, undefined, undefined, source);
        if (typeof raw === 'object' && raw !== null && raw.name === 'RegistryError') {
            const r = raw;
            return n > 1 ? this.h.error({ ...this.op('upload'), label: r.operation }, `${r.detail}${suffix}`, r.status) : r;
        }
        const text = find(raw, 'TimeoutError')?.message ?? this.why(raw);
        const cause = raw?.cause?.message;
        return this.h.error(this.op('upload'), `${text}${cause && !text.includes(cause) ? `: ${cause}` : ''}${suffix}`, undefined, undefined, raw);
    }
    /** POST a fresh session: every byte (and the hash) starts again from 0. */
    async start() {
        const op = this.op('blob upload', 'POST');
        const res = await this.h.request(op, `/v2/${this.repository}/blobs/uploads/`, { method: 'POST' });
        if (res.status !== 202)
            throw await this.h.statusError(op, res);
        await discard(res);
        const location = this.h.location(op, res.headers.get('location'));
        if (!location)
            throw this.h.error(op, 'the registry gave no upload location');
        const min = Number(res.headers.get('oci-chunk-min-length'));
        if (Number.isFinite(min) && min > this.chunkBytes)
            this.chunkBytes = this.chunkFloor = min;
        this.location = location;
        this.offset = 0;
        this.hash = (0,external_node_crypto_.createHash)(this.algorithm);
        this.saved = { offset: 0, hash: this.hash.copy() };
        await this.reader?.close();
        this.reader = undefined;
    }
    /** Exactly `len` bytes of the source, hashed as they pass; the blob's last byte waits for the digest check. */
    async *body(len) {
        let left = len;
        const reader = this.reader;
        const fail = (err) => {
            this.bodyFailure = err;
            throw err;
        };
        while (left > 0) {
            const piece = await reader.read(left).catch((err) => fail(err));
            if (!piece) {
                const at = this.offset + (len - left);
                fail(new SourceError(`reading blob ${this.digest} from ${this.source.origin}: it ended at byte ${at} of ${this.source.size}`));
                return;
            }
            this.hash.update(piece);
            left -= piece.length;
            if (left === 0 && this.offset + len === this.source.size) {
                try {
                    this.check();
                }
                catch (err) {
                    fail(err);
                }
            }
            yield piece;
        }
    }
    check() {
        const got = `${this.algorithm}:${this.hash.copy().digest('hex')}`;
        if (got !== this.digest) {
            throw new BlobDigestError(`the bytes of blob ${this.digest} read from ${this.source.origin} hash to ${got}: nothing was committed`);
        }
    }
    async patch() {
        const len = Math.min(this.chunkBytes, this.source.size - this.offset);
        const end = this.offset + len;
        const op = {
            ...this.op('blob chunk', 'PATCH'),
            label: `${this.op('blob chunk', 'PATCH').label} bytes ${this.offset}-${end - 1}`
        };
        const started = performance.now();
        const res = await this.h.send(op, this.location, {
            method: 'PATCH',
            headers: {
                'Content-Type': 'application/octet-stream',
                'Content-Range': `${this.offset}-${end - 1}`,
                'Content-Length': String(len)
            },
            body: this.body(len)
        });
        if (res.status !== 202) {
            const err = await this.h.statusError(op, res);
            if (res.status === 404)
                throw new SessionLost(err);
            if (this.offset === 0 && CHUNKS_REFUSED.has(res.status))
                throw new ChunksRefused(err);
            throw err;
        }
        await discard(res);
        this.location = this.h.location(op, res.headers.get('location')) ?? this.location;
        this.offset = end;
        this.saved = { offset: end, hash: this.hash.copy() };
        if (this.h.growChunks)
            this.chunkBytes = nextChunkBytes(len, (performance.now() - started) / 1000, this.chunkFloor);
    }
    async putWhole() {
        const op = this.op('blob', 'PUT');
        const res = await this.h.send(op, withDigest(this.location, this.digest), {
            method: 'PUT',
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(this.source.size) },
            body: this.body(this.source.size)
        });
        if (res.status === 201) {
            await discard(res);
            this.location = undefined;
            return;
        }
        const err = await this.h.statusError(op, res);
        if (res.status === 404)
            throw new SessionLost(err);
        throw err;
    }
    async commit() {
        if (this.source.size === 0)
            this.check();
        const op = this.op('blob (commit)', 'PUT');
        try {
            const res = await this.h.request(op, withDigest(this.location, this.digest), {
                method: 'PUT',
                headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': '0' },
                body: Buffer.alloc(0)
            });
            if (res.status !== 201)
                throw await this.h.statusError(op, res);
            await discard(res);
            this.location = undefined;
        }
        catch (err) {
            // A retried commit finds the session gone when the first one did commit.
            if (await this.h.blobExists(this.repository, this.digest).catch(() => false)) {
                this.location = undefined;
                return;
            }
            throw err;
        }
    }
    /** The registry's offset for the session (GET on the upload URL), or undefined when it forgot it. */
    async registryOffset() {
        const op = this.op('blob upload status', 'GET');
        try {
            const res = await this.h.request(op, this.location, { method: 'GET' });
            await discard(res);
            if (res.status !== 204 && res.status !== 202)
                return undefined;
            const m = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.get('range') ?? '');
            if (!m)
                return undefined;
            this.location = this.h.location(op, res.headers.get('location')) ?? this.location;
            return Number(m[1]) + 1;
        }
        catch {
            return undefined;
        }
    }
    async recover(lost) {
        await this.reader?.close();
        this.reader = undefined;
        if (!lost && this.location && this.h.chunked !== false && this.saved.offset > 0) {
            const at = await this.registryOffset();
            if (at === this.saved.offset) {
                this.offset = at;
                this.hash = this.saved.hash.copy();
                this.h.log(`registry ${this.h.registry}: resuming ${this.label} at byte ${at}`);
                return;
            }
        }
        await this.restart(lost);
    }
    async restart(lost = false) {
        if (!lost)
            await this.cancel();
        this.location = undefined;
        this.offset = 0;
        await this.reader?.close();
        this.reader = undefined;
    }
    /** DELETE the session so it does not linger until the registry's purge; best effort. */
    async cancel() {
        const location = this.location;
        this.location = undefined;
        if (!location)
            return;
        try {
            const res = await this.h.send(this.op('blob upload', 'DELETE'), location, { method: 'DELETE' });
            await discard(res);
        }
        catch {
            // the session expires on the registry's side anyway
        }
    }
}
/** Uploads `source` as blob `digest` of `repository`, streaming; see the file comment. */
async function streamUpload(host, repository, digest, source) {
    await new Upload(host, repository, digest, source).run();
}

;// CONCATENATED MODULE: ./src/registry/client.ts
// A small OCI distribution client: what the action needs to make tags visible after a push by
// digest: read digests FROM THE REGISTRY, check tags, and create a tag by re-PUTting the exact
// manifest bytes (same bytes → same digest), for an index or for one platform manifest of it;
// blobs are streamed (upload.ts), never held whole in memory.
//
// Transport is Node's global fetch under a progress deadline (transport.ts). TLS: https unless
// `insecure` (plain http). A registry signed by a private CA needs NODE_EXTRA_CA_CERTS=<ca file> in
// the environment BEFORE node starts (Node reads it once at startup; setting process.env later has
// no effect).
//
// Secrets: credentials and tokens never appear in errors or logs; every message goes through
// redact() as a last line of defence.










const MEDIA_TYPES = {
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
};
/** Without the list types here, some registries answer a multi-arch tag with one platform's manifest. */
const MANIFEST_ACCEPT = [
    MEDIA_TYPES.ociIndex,
    MEDIA_TYPES.ociManifest,
    MEDIA_TYPES.dockerList,
    MEDIA_TYPES.dockerManifest
].join(', ');
class RegistryError extends Error {
    registry;
    operation;
    detail;
    status;
    retryAfterMs;
    constructor(registry, 
    /** `PUT manifest acme/app:v1` */
    operation, 
    /** What went wrong, without the registry and operation: `401 Unauthorized (...)`. */
    detail, 
    /** HTTP status when the registry answered; undefined for network and local errors. */
    status, 
    /** From Retry-After, read by the retry policy. */
    retryAfterMs, 
    /** The network error behind it: its code tells the retry policy whether to try again. */
    cause) {
        super(`registry ${registry}: ${operation} failed: ${detail}`, cause === undefined ? undefined : { cause });
        this.registry = registry;
        this.operation = operation;
        this.detail = detail;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.name = 'RegistryError';
    }
}
/** `sha256:<hex>` of the bytes; sha512 when asked (the only algorithms OCI registers). */
function client_digestOf(body, algorithm = 'sha256') {
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(body).digest('hex')}`;
}
/** Distribution's error body (`{"errors":[{"code","message"}]}`) as `CODE: message; ...`. */
function describeErrorBody(text) {
    const trimmed = text.trim();
    if (!trimmed)
        return '';
    try {
        const parsed = JSON.parse(trimmed);
        if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
            return parsed.errors
                .map(e => [e.code, e.message].filter(x => typeof x === 'string' && x).join(': '))
                .filter(Boolean)
                .join('; ');
        }
    }
    catch {
        // not JSON: fall through to the raw text
    }
    const oneLine = trimmed.replace(/\s+/g, ' ');
    return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
/** The `rel="next"` target of a Link header, as the tags/list and catalog APIs paginate. */
function parseLinkNext(header) {
    if (!header)
        return undefined;
    for (const part of header.split(/,(?=\s*<)/)) {
        const m = /^\s*<([^>]*)>(.*)$/.exec(part);
        if (m && /;\s*rel="?next"?(\s*;|\s*$)/i.test(m[2]))
            return m[1];
    }
    return undefined;
}
function statusLine(res) {
    return `${res.status} ${res.statusText || external_node_http_.STATUS_CODES[res.status] || ''}`.trim();
}
/** Text of a network error and its causes: `fetch failed: connect ECONNREFUSED 127.0.0.1:5000`. */
function networkText(err) {
    const parts = [];
    for (let e = err, n = 0; e !== undefined && e !== null && n < 6; e = e.cause, n++) {
        const message = typeof e === 'object' ? e.message : e;
        const msg = typeof message === 'string' ? message : String(message ?? '');
        if (msg && !parts.includes(msg))
            parts.push(msg);
        if (typeof e !== 'object')
            break;
    }
    const text = parts.join(': ').replace(/\s+/g, ' ').trim() || 'unknown error';
    if (/certificate|self[- ]signed|UNABLE_TO_VERIFY|CERT_/i.test(text)) {
        return `${text} (a private CA must be given to node as NODE_EXTRA_CA_CERTS=<ca file> before it starts)`;
    }
    if (/wrong version number|packet length too long|EPROTO/i.test(text)) {
        return `${text} (is it a plain-http registry? then it needs insecure: true)`;
    }
    return text;
}
/** A response body's pieces without its first `skip` bytes; a broken connection becomes `broke(err)`. */
async function* piecesOf(body, skip, broke) {
    if (!body)
        return;
    const it = body[Symbol.asyncIterator]();
    let left = skip;
    try {
        for (;;) {
            let r;
            try {
                r = await it.next();
            }
            catch (err) {
                throw broke(err);
            }
            if (r.done)
                return;
            let piece = r.value;
            if (left > 0) {
                const drop = Math.min(left, piece.length);
                left -= drop;
                piece = piece.subarray(drop);
                if (piece.length === 0)
                    continue;
            }
            yield piece;
        }
    }
    finally {
        // Stopped early (a failed upload, a size check): free the connection.
        await it.return?.(undefined)?.catch(() => undefined);
    }
}
async function client_discard(res) {
    try {
        await res.body?.cancel();
    }
    catch {
        // already consumed or closed: nothing to free
    }
}
/** Tokens are refreshed this long before the expiry the token server states. */
const TOKEN_EXPIRY_MARGIN_MS = 10_000;
/** Spec default when the token server states no expires_in. */
const DEFAULT_TOKEN_LIFETIME_S = 60;
const MAX_TAG_PAGES = 1000;
const MAX_REFERRER_PAGES = 100;
function isDescriptor(d) {
    const x = d;
    return (typeof x === 'object' &&
        x !== null &&
        typeof x.mediaType === 'string' &&
        typeof x.digest === 'string' &&
        isDigest(x.digest) &&
        typeof x.size === 'number');
}
class RegistryClient {
    registry;
    base;
    insecure;
    credentials;
    retry;
    userAgent;
    log;
    timeoutMs;
    /** Learned from the first 401: the scheme this registry wants, so later requests send it up front. */
    challenge;
    tokens = new Map();
    secrets = new Set();
    chunkBytes;
    /** Learned once per registry: whether it has the OCI 1.1 referrers API. */
    referrersApi;
    uploads;
    constructor(options) {
        this.registry = options.registry;
        this.insecure = options.insecure ?? false;
        this.base = `${this.insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`;
        this.credentials = options.credentials;
        this.retry = options.retry ?? {};
        this.userAgent = options.userAgent ?? 'image-publish';
        this.log = options.log ?? (() => undefined);
        this.timeoutMs = options.timeoutMs ?? 60_000;
        this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
        this.uploads = {
            registry: this.registry,
            retry: this.retry,
            chunkBytes: this.chunkBytes,
            growChunks: options.chunkBytes === undefined,
            log: msg => this.log(this.redact(msg)),
            operation: (method, what, repository, digest) => this.operation(method, what, repository, digest, true),
            request: (op, path, init) => this.request(op, path, init),
            send: (op, path, init) => this.send(op, path, init),
            statusError: (op, res) => this.statusError(op, res),
            error: (op, detail, status, retryAfterMs, cause) => this.error(op, detail, status, retryAfterMs, cause),
            location: (op, header) => this.sameOriginPath(op, header ?? undefined, 'the upload location'),
            blobExists: (repository, digest) => this.blobExists(repository, digest),
            sleep: this.retry.sleep
        };
        if (this.credentials) {
            this.addSecret(this.credentials.password);
            this.addSecret(basicAuthorization(this.credentials).slice('Basic '.length));
        }
    }
    get hasCredentials() {
        return this.credentials !== undefined;
    }
    /** Digest a tag or digest points at, read from the registry; undefined when it does not exist. */
    async manifestDigest(repository, reference) {
        const op = this.operation('HEAD', 'manifest', repository, reference, false);
        const res = await this.request(op, this.manifestPath(repository, reference), {
            method: 'HEAD',
            headers: { Accept: MANIFEST_ACCEPT }
        });
        if (res.status === 404)
            return undefined;
        if (!res.ok)
            throw await this.statusError(op, res);
        const header = res.headers.get('docker-content-digest');
        if (header && isDigest(header))
            return header;
        // Some registries (and proxies) drop the header on HEAD: hash the bytes instead.
        return (await this.getManifest(repository, reference)).digest;
    }
    /** The manifest's exact bytes; when `reference` is a digest, the bytes are checked against it. */
    async getManifest(repository, reference) {
        const op = this.operation('GET', 'manifest', repository, reference, false);
        const res = await this.request(op, this.manifestPath(repository, reference), {
            method: 'GET',
            headers: { Accept: MANIFEST_ACCEPT }
        });
        if (!res.ok)
            throw await this.statusError(op, res);
        const body = Buffer.from(await res.arrayBuffer());
        const header = res.headers.get('docker-content-digest');
        const expected = isDigest(reference) ? reference : header && isDigest(header) ? header : undefined;
        const algorithm = expected?.startsWith('sha512:') ? 'sha512' : 'sha256';
        const digest = client_digestOf(body, algorithm);
        if (expected && digest !== expected) {
            throw this.error(op, `the manifest bytes hash to ${digest}, not ${expected} (${isDigest(reference) ? 'the digest asked for' : 'the Docker-Content-Digest header'})`);
        }
        return { digest, mediaType: this.mediaTypeOf(res, body), body };
    }
    /** PUTs the bytes under `reference` (tag or digest); returns their digest, checked against the registry's. */
    async putManifest(repository, reference, body, mediaType) {
        const op = this.operation('PUT', 'manifest', repository, reference, true);
        const digest = client_digestOf(body, reference.startsWith('sha512:') ? 'sha512' : 'sha256');
        if (isDigest(reference) && reference !== digest) {
            throw this.error(op, `the manifest bytes hash to ${digest}, not to the digest they are pushed as`);
        }
        const res = await this.request(op, this.manifestPath(repository, reference), {
            method: 'PUT',
            headers: { 'Content-Type': mediaType },
            body
        });
        if (!res.ok)
            throw await this.statusError(op, res);
        await client_discard(res);
        const returned = res.headers.get('docker-content-digest');
        if (returned && returned !== digest) {
            throw this.error(op, `the registry stored ${returned}, not the ${digest} that was sent`);
        }
        return digest;
    }
    /**
     * Makes `tag` point at `digest` inside `repository` by re-PUTting the manifest's exact bytes.
     * `read`: those bytes already read from this repository (several tags of one digest read it once).
     */
    async tag(repository, digest, tag, read) {
        if (!isDigest(digest))
            throw this.error(this.opName('tag', repository, tag), `"${digest}" is not a digest`);
        if (!isValidTag(tag))
            throw this.error(this.opName('tag', repository, tag), `"${tag}" is not a valid tag`);
        if (read && read.digest !== digest) {
            throw this.error(this.opName('tag', repository, tag), `the manifest given is ${read.digest}, not ${digest}`);
        }
        const manifest = read ?? (await this.getManifest(repository, digest));
        const put = await this.putManifest(repository, tag, manifest.body, manifest.mediaType);
        this.log(`registry ${this.registry}: tagged ${repository}:${tag} → ${put}`);
        return put;
    }
    /** Every tag of the repository, following Link pagination; [] for an unknown repository. */
    async listTags(repository, options = {}) {
        const op = this.operation('GET', 'tags', repository, undefined, false);
        let next = `/v2/${repository}/tags/list${options.pageSize ? `?n=${encodeURIComponent(options.pageSize)}` : ''}`;
        const tags = [];
        const seen = new Set();
        while (next) {
            if (seen.has(next) || seen.size >= MAX_TAG_PAGES)
                throw this.error(op, `pagination loops at ${next}`);
            seen.add(next);
            const res = await this.request(op, next, { method: 'GET' });
            if (res.status === 404 && seen.size === 1) {
                await client_discard(res);
                return [];
            }
            if (!res.ok)
                throw await this.statusError(op, res);
            const page = (await res.json());
            if (Array.isArray(page.tags))
                tags.push(...page.tags.filter((t) => typeof t === 'string'));
            next = this.sameOriginPath(op, parseLinkNext(res.headers.get('link')));
        }
        return tags;
    }
    async blobExists(repository, digest) {
        const op = this.operation('HEAD', 'blob', repository, digest, false);
        if (!isDigest(digest))
            throw this.error(op, `"${digest}" is not a digest`);
        const res = await this.request(op, `/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
        if (res.status === 404)
            return false;
        if (!res.ok)
            throw await this.statusError(op, res);
        return true;
    }
    /**
     * Uploads one blob, streaming (chunked PATCH, or one streaming PUT where chunks are refused),
     * unless the repository already has it. The digest is checked over the bytes as they pass; see
     * upload.ts for retries and resumption. A Buffer is accepted for small blobs and tests.
     */
    async uploadBlob(repository, digest, data) {
        const op = this.operation('upload', 'blob', repository, digest, true);
        if (!isDigest(digest))
            throw this.error(op, `"${digest}" is not a digest`);
        if (await this.blobExists(repository, digest))
            return 'exists';
        const source = Buffer.isBuffer(data) ? bufferBlobSource(data) : data;
        await blobTransfers(() => streamUpload(this.uploads, repository, digest, source));
        return 'uploaded';
    }
    /**
     * A small blob's bytes (an image config), checked against its digest. Layers are streamed with
     * openBlob instead; past `maxBytes` this refuses rather than fill memory.
     */
    async getBlob(repository, digest, maxBytes = 64 * 1024 * 1024) {
        const op = this.operation('GET', 'blob', repository, digest, false);
        const { size, body } = await this.openBlob(repository, digest);
        if (size !== undefined && size > maxBytes) {
            await body[Symbol.asyncIterator]().return?.();
            throw this.error(op, `the blob has ${size} B, more than the ${maxBytes} B read into memory`);
        }
        const hash = (0,external_node_crypto_.createHash)(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
        const parts = [];
        let total = 0;
        try {
            for await (const piece of body) {
                total += piece.length;
                if (total > maxBytes)
                    throw new Error(`the blob has more than the ${maxBytes} B read into memory`);
                hash.update(piece);
                parts.push(Buffer.from(piece));
            }
        }
        catch (err) {
            if (err instanceof RegistryError)
                throw err;
            throw this.error(op, `the download broke off: ${networkText(err)}`, undefined, undefined, err);
        }
        const got = `${digest.startsWith('sha512:') ? 'sha512' : 'sha256'}:${hash.digest('hex')}`;
        if (got !== digest)
            throw this.error(op, `the blob bytes hash to ${got}`);
        return Buffer.concat(parts);
    }
    /**
     * A blob's bytes as a stream, from `offset` on (a Range request; a registry ignoring Range is
     * answered by skipping). NOT checked against the digest: whoever consumes the stream hashes it
     * (the uploader does, over exactly the bytes it sends).
     */
    async openBlob(repository, digest, offset = 0) {
        const op = this.operation('GET', 'blob', repository, digest, false);
        if (!isDigest(digest))
            throw this.error(op, `"${digest}" is not a digest`);
        const res = await this.request(op, `/v2/${repository}/blobs/${digest}`, {
            method: 'GET',
            headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
            stream: true
        });
        if (!res.ok)
            throw await this.statusError(op, res);
        const length = Number(res.headers.get('content-length') ?? NaN);
        const partial = res.status === 206;
        const size = Number.isFinite(length) ? length + (partial ? offset : 0) : undefined;
        const broke = (err) => this.error(op, `the download broke off: ${networkText(err)}`, undefined, undefined, err);
        return { size, body: piecesOf(piecesOfAnswer(res), partial ? 0 : offset, broke) };
    }
    /**
     * Links a blob `fromRepository` already holds into `repository` without moving its bytes (same
     * registry only). True when mounted; false when the registry declined (blob unknown there, no
     * pull right on the source, mounting disabled): the caller uploads instead.
     */
    async mountBlob(repository, digest, fromRepository) {
        const op = {
            ...this.operation('POST', 'blob mount', repository, digest, true),
            mountFrom: fromRepository
        };
        if (!isDigest(digest))
            throw this.error(op, `"${digest}" is not a digest`);
        if (!isValidRepository(fromRepository))
            throw this.error(op, `"${fromRepository}" is not a valid repository name`);
        const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
        const res = await this.request(op, `/v2/${repository}/blobs/uploads/?${query}`, { method: 'POST' });
        if (res.status === 201) {
            await client_discard(res);
            const returned = res.headers.get('docker-content-digest');
            if (returned && returned !== digest)
                throw this.error(op, `the registry mounted ${returned}, not ${digest}`);
            return true;
        }
        if (res.status === 401 || res.status === 403) {
            // No pull on the source (the token server cut that scope): a declined mount, the caller
            // uploads, and a missing push right shows there with its own message.
            await client_discard(res);
            return false;
        }
        if (res.status !== 202)
            throw await this.statusError(op, res);
        // The registry opened an ordinary upload session instead: close it so it does not linger
        // until the registry's upload purge. Best effort: a failed cancel changes nothing for the copy.
        await client_discard(res);
        const location = res.headers.get('location');
        if (location) {
            try {
                const cancel = await this.request(op, `${this.sameOriginPath(op, location)}`, { method: 'DELETE' });
                await client_discard(cancel);
            }
            catch (err) {
                this.log(this.redact(`registry ${this.registry}: ${op.label}: cancelling the upload session: ${String(err)}`));
            }
        }
        return false;
    }
    /**
     * What refers to `digest` (signatures, attestations, SBOMs) from the OCI 1.1 referrers API,
     * following Link pages; undefined when the registry has no such API, so the caller falls back to
     * the `sha256-<hex>` tag schema. Whether it has the API is decided ONCE per registry, by the
     * first answer: 200 with an image index (by content type, or a body whose mediaType says so) is
     * the API; a 404 or a 200 of anything else (some registries answer unknown /v2/ paths with a
     * page) is not. An index whose `manifests` is null or missing is an empty list: Go registries
     * encode an empty slice as null, and cosign and go-containerregistry read it so.
     */
    async referrers(repository, digest) {
        const op = this.operation('GET', 'referrers', repository, digest, false);
        if (!isDigest(digest))
            throw this.error(op, `"${digest}" is not a digest`);
        if (this.referrersApi === false)
            return undefined;
        let next = `/v2/${repository}/referrers/${digest}`;
        const found = [];
        const seen = new Set();
        while (next) {
            if (seen.has(next) || seen.size >= MAX_REFERRER_PAGES)
                throw this.error(op, `pagination loops at ${next}`);
            seen.add(next);
            const res = await this.request(op, next, { method: 'GET', headers: { Accept: MEDIA_TYPES.ociIndex } });
            if (res.status === 404 && seen.size === 1) {
                await client_discard(res);
                // Known to have the API: a 404 here is an unknown repository or subject, so nothing refers.
                if (this.referrersApi)
                    return [];
                this.referrersApi = false;
                return undefined;
            }
            if (!res.ok)
                throw await this.statusError(op, res);
            const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
            const text = await res.text();
            let page;
            try {
                const parsed = JSON.parse(text);
                if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
                    page = parsed;
            }
            catch {
                page = undefined;
            }
            // Spec: the index media type. Also taken: a plain JSON answer that plainly is a list.
            const isIndex = page !== undefined &&
                (page.manifests === undefined || page.manifests === null || Array.isArray(page.manifests)) &&
                (type === MEDIA_TYPES.ociIndex ||
                    page.mediaType === MEDIA_TYPES.ociIndex ||
                    (type === 'application/json' && Array.isArray(page.manifests)));
            if (!isIndex) {
                if (seen.size === 1 && this.referrersApi === undefined) {
                    this.referrersApi = false;
                    return undefined;
                }
                throw this.error(op, `a referrers page is not an image index (${type || 'no content type'})`);
            }
            this.referrersApi = true;
            if (Array.isArray(page?.manifests))
                found.push(...page.manifests.filter(isDescriptor));
            next = this.sameOriginPath(op, parseLinkNext(res.headers.get('link')));
        }
        return found;
    }
    /**
     * Proves push access to `repository` without leaving anything behind: opens an upload session
     * (POST, which needs push: a push-scoped token or accepted Basic credentials) and deletes it.
     * Throws a RegistryError saying whether the credentials were refused or lack push.
     */
    async checkPush(repository) {
        const op = this.operation('POST', 'blob upload (push access check)', repository, undefined, true);
        const res = await this.request(op, `/v2/${repository}/blobs/uploads/`, { method: 'POST' });
        if (res.status !== 202 && res.status !== 201)
            throw await this.statusError(op, res);
        await client_discard(res);
        const location = res.headers.get('location');
        if (res.status !== 202 || !location)
            return;
        const cancel = { ...op, label: `DELETE blob upload ${repository} (push access check)` };
        try {
            await client_discard(await this.request(cancel, this.sameOriginPath(cancel, location, 'the upload location') ?? '', {
                method: 'DELETE'
            }));
        }
        catch (err) {
            // Push is proven; an upload session left over is purged by the registry.
            this.log(this.redact(`registry ${this.registry}: ${cancel.label}: ${String(err)}`));
        }
    }
    // ---- requests, auth, errors -------------------------------------------------------------
    opName(what, repository, reference) {
        const ref = reference === undefined ? '' : isDigest(reference) ? `@${reference}` : `:${reference}`;
        return { label: `${what} ${repository}${ref}`, repository, write: false };
    }
    /** Validates the names (they become URL path segments) and describes the operation. */
    operation(method, what, repository, reference, write) {
        const op = { ...this.opName(`${method} ${what}`, repository, reference), write };
        if (!isValidRepository(repository))
            throw this.error(op, `"${repository}" is not a valid repository name`);
        if (reference !== undefined && !isDigest(reference) && !isValidTag(reference)) {
            throw this.error(op, `"${reference}" is neither a tag nor a digest`);
        }
        return op;
    }
    manifestPath(repository, reference) {
        return `/v2/${repository}/manifests/${reference}`;
    }
    mediaTypeOf(res, body) {
        const header = (res.headers.get('content-type') ?? '').split(';')[0].trim();
        if (header && header !== 'application/json' && header !== 'text/plain')
            return header;
        try {
            const mediaType = JSON.parse(body.toString('utf8')).mediaType;
            if (typeof mediaType === 'string' && mediaType)
                return mediaType;
        }
        catch {
            // not JSON: keep what the header said
        }
        return header || MEDIA_TYPES.ociManifest;
    }
    /** Link targets are followed only on this registry: credentials must not travel elsewhere. */
    sameOriginPath(op, link, what = 'pagination link') {
        if (!link)
            return undefined;
        const url = new URL(link, this.base);
        if (url.origin !== new URL(this.base).origin)
            throw this.error(op, `${what} leaves the registry: ${url.origin}`);
        return `${url.pathname}${url.search}`;
    }
    /** One operation's HTTP exchange, with auth and retries; returns the final response. */
    async request(op, path, init) {
        let attempts = 0;
        try {
            return await withRetry(async (attempt) => {
                attempts = attempt;
                const res = await this.authorizedFetch(op, path, init);
                if (isRetryableStatus(res.status)) {
                    const last = attempt >= Math.max(1, this.retry.attempts ?? DEFAULT_ATTEMPTS);
                    throw await this.statusError(op, res, last && attempt > 1 ? ` after ${attempt} attempts` : '');
                }
                return res;
            }, this.retry, ({ attempt, attempts, delayMs, error }) => {
                const why = error instanceof RegistryError ? error.detail : networkText(error);
                this.log(this.redact(`registry ${this.registry}: ${op.label}: ${why}; attempt ${attempt + 1}/${attempts} in ${delayMs} ms`));
            });
        }
        catch (err) {
            if (err instanceof RegistryError)
                throw err;
            throw this.error(op, `${networkText(err)}${attempts > 1 ? ` after ${attempts} attempts` : ''}`, undefined, undefined, err);
        }
    }
    async fetchOnce(path, init, authorization) {
        const headers = { 'User-Agent': this.userAgent, ...init.headers };
        if (authorization)
            headers.Authorization = authorization;
        return timedFetch(`${this.base}${path}`, { method: init.method, headers, body: init.body, stream: init.stream }, this.timeoutMs);
    }
    /** One attempt of a streamed request with the authorization already known; never re-sent. */
    async send(op, path, init) {
        const sent = this.challenge ? await this.authorization(op, this.challenge) : undefined;
        return this.fetchOnce(path, init, sent);
    }
    /**
     * Anonymous first; on 401 learn the challenge, get a Basic header or a Bearer token, send once
     * more. Once the scheme is known, later requests carry it from the start. A streamed body is
     * sent once: its 401 goes back to the caller.
     */
    async authorizedFetch(op, path, init) {
        const sent = this.challenge ? await this.authorization(op, this.challenge) : undefined;
        const res = await this.fetchOnce(path, init, sent);
        if (res.status !== 401 || isPieces(init.body))
            return res;
        const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
        const challenge = challenges.find(c => c.scheme === 'bearer' && c.params.realm) ?? challenges.find(c => c.scheme === 'basic');
        if (!challenge)
            return res; // nothing to answer: the caller reports the 401
        if (challenge.scheme === 'basic' && !this.credentials) {
            return res;
        }
        this.challenge = challenge;
        if (sent?.startsWith('Bearer ')) {
            const cached = this.tokens.get(this.scope(op));
            // A token asked for exactly this scope that the registry finds too narrow is what the token
            // server grants these credentials: asking again gives the same token. The caller reports it.
            if (challenge.params.error === 'insufficient_scope' && cached && !cached.readOnly)
                return res;
            this.tokens.delete(this.scope(op)); // expired, or a pull-only fallback too narrow for this
        }
        const fresh = await this.authorization(op, challenge, sent?.startsWith('Bearer ') && op.write);
        if (!fresh || fresh === sent)
            return res;
        await client_discard(res);
        return this.fetchOnce(path, init, fresh);
    }
    /** Space-separated scopes (the token request sends each as its own `scope` parameter). */
    scope(op) {
        const own = `repository:${op.repository}:pull,push`;
        return op.mountFrom && op.mountFrom !== op.repository ? `${own} repository:${op.mountFrom}:pull` : own;
    }
    /** `noFallback`: a write whose pull-only token was refused must not be given another pull-only one. */
    async authorization(op, challenge, noFallback = false) {
        if (challenge.scheme === 'basic')
            return this.credentials ? basicAuthorization(this.credentials) : undefined;
        if (challenge.scheme !== 'bearer')
            return undefined;
        const scope = this.scope(op);
        const cached = this.tokens.get(scope);
        // A pull-only fallback serves reads only; a write asks for the full scope.
        if (cached && cached.expiresAt > Date.now() && (!op.write || !cached.readOnly))
            return cached.authorization;
        let token;
        try {
            token = await this.fetchToken(op, challenge, scope);
        }
        catch (err) {
            if (!(err instanceof RegistryError) || (err.status !== 401 && err.status !== 403) || noFallback)
                throw err;
            if (op.mountFrom) {
                // No pull on the mount's source: without it the registry declines the mount (202) and the
                // caller uploads, which is slower but still right.
                token = await this.fetchToken(op, challenge, this.scope({ ...op, mountFrom: undefined }));
            }
            else if (!op.write) {
                // Read-only credentials (or anonymous) may be refused pull,push outright: reads ask for pull.
                token = { ...(await this.fetchToken(op, challenge, `repository:${op.repository}:pull`)), readOnly: true };
            }
            else {
                throw err;
            }
        }
        this.tokens.set(scope, token);
        return token.authorization;
    }
    async fetchToken(op, challenge, scope) {
        const realm = challenge.params.realm;
        const label = `${op.label}: token for ${scope} from ${realm}`;
        const tokenOp = { ...op, label };
        const registryHost = new URL(this.base).host;
        const problem = realmProblem(realm, registryHost, this.insecure);
        if (problem)
            throw this.error(tokenOp, `refusing the token realm: ${problem}`);
        const url = new URL(realm);
        if (challenge.params.service)
            url.searchParams.set('service', challenge.params.service);
        url.searchParams.delete('scope');
        for (const s of scope.split(' '))
            url.searchParams.append('scope', s);
        const headers = { 'User-Agent': this.userAgent };
        if (this.credentials)
            headers.Authorization = basicAuthorization(this.credentials);
        // No retry loop of its own: a transient failure here fails the request's attempt, which the
        // request's loop retries (a loop here too would multiply the attempts).
        let res;
        try {
            res = await this.tokenFetch(tokenOp, url, headers, registryHost);
        }
        catch (err) {
            if (err instanceof RegistryError)
                throw err;
            throw this.error(tokenOp, networkText(err), undefined, undefined, err);
        }
        if (!res.ok)
            throw await this.statusError(tokenOp, res);
        const body = (await res.json());
        const token = typeof body.token === 'string' && body.token
            ? body.token
            : typeof body.access_token === 'string'
                ? body.access_token
                : '';
        if (!token)
            throw this.error(tokenOp, 'the token server answered without a token');
        this.addSecret(token);
        const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
        this.log(`registry ${this.registry}: got a token for ${scope} (${lifetime} s)`);
        return {
            authorization: `Bearer ${token}`,
            expiresAt: Date.now() + lifetime * 1000 - TOKEN_EXPIRY_MARGIN_MS,
            readOnly: false
        };
    }
    /**
     * GET on the token server, following redirects by hand: each target must pass the realm rules
     * too (go-containerregistry checks redirects the same way), and credentials go to the realm's
     * origin only.
     */
    async tokenFetch(op, first, headers, registryHost) {
        let url = first;
        for (let hops = 0;; hops++) {
            const sameOrigin = url.origin === first.origin;
            const h = sameOrigin ? headers : { 'User-Agent': headers['User-Agent'] };
            const res = await timedFetch(url, { method: 'GET', headers: h, redirect: 'manual' }, this.timeoutMs);
            const location = res.headers.get('location');
            if (res.status < 300 || res.status >= 400 || !location)
                return res;
            await client_discard(res);
            if (hops >= 10)
                throw this.error(op, 'the token server redirected more than 10 times');
            const target = new URL(location, url);
            const problem = realmProblem(target.href, registryHost, this.insecure);
            if (problem)
                throw this.error(op, `refusing the token server's redirect to ${target.origin}: ${problem}`);
            url = target;
        }
    }
    addSecret(s) {
        if (s.length >= 4)
            this.secrets.add(s);
    }
    redact(text) {
        let out = text;
        for (const s of this.secrets)
            out = out.split(s).join('***');
        return out;
    }
    error(op, detail, status, retryAfterMs, cause) {
        return new RegistryError(this.registry, this.redact(op.label), this.redact(detail), status, retryAfterMs, cause);
    }
    /**
     * The registry accepted who we are but not what we asked: a Bearer challenge saying
     * insufficient_scope (after a token was sent), or a 403 (Basic auth with an authorizing proxy,
     * Harbor's DENIED). A 401 to a token request is wrong credentials instead, and is not this.
     */
    lacksPush(res) {
        if (res.status === 403)
            return true;
        if (res.status !== 401)
            return false;
        return parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '').some(c => c.scheme === 'bearer' && c.params.error === 'insufficient_scope');
    }
    /** `401 Unauthorized (UNAUTHORIZED: authentication required)`, reading (and so freeing) the body. */
    async statusError(op, res, suffix = '') {
        let text = '';
        try {
            text = await res.text();
        }
        catch {
            // body lost with the connection: the status alone must do
        }
        const notes = [describeErrorBody(text)];
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
        const status = `${statusLine(res)}${notes[0] ? ` (${notes[0]})` : ''}`;
        if (op.write && this.lacksPush(res)) {
            const detail = this.credentials
                ? `credentials for ${this.registry} are valid but lack push access to ${op.repository}: ${status}`
                : `no credentials given for ${this.registry}, and pushing to ${op.repository} needs them: ${status}`;
            return this.error(op, `${detail}${suffix}`, res.status, retryAfterMs);
        }
        if (res.status === 401 && !this.credentials)
            notes.push(`no credentials given for ${this.registry}`);
        const note = notes.filter(Boolean).join('; ');
        return this.error(op, `${statusLine(res)}${note ? ` (${note})` : ''}${suffix}`, res.status, retryAfterMs);
    }
}

;// CONCATENATED MODULE: ./src/state-save.ts

function markMainStarted() {
    (0,commands/* saveState */.LZ)('isPost', 'true');
}
let cleanup = {};
function saveCleanup(more) {
    cleanup = { ...cleanup, ...more };
    (0,commands/* saveState */.LZ)('cleanup', JSON.stringify(cleanup));
}

;// CONCATENATED MODULE: ./src/login/credentials.ts
/** Docker Hub's login key in config.json is historical. */
function configKey(registry) {
    return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}
/**
 * A config for this run: the existing docker config (so a docker/login-action login keeps working,
 * cred helpers included) with our logins layered on top.
 */
function mergeDockerConfig(existing, creds) {
    const config = { ...(existing ?? {}), auths: { ...(existing?.auths ?? {}) } };
    const helpers = { ...(existing?.credHelpers ?? {}) };
    for (const c of creds) {
        const key = configKey(c.registry);
        config.auths[key] = {
            auth: Buffer.from(`${c.username}:${c.password}`).toString('base64')
        };
        // An explicit login must win over a helper configured for the same registry.
        delete helpers[key];
    }
    if (existing?.credHelpers)
        config.credHelpers = helpers;
    return config;
}
/** Values to mask in logs: each password and its base64 form inside the config. */
function secretsOf(creds) {
    return creds.flatMap(c => [c.password, Buffer.from(`${c.username}:${c.password}`).toString('base64')]);
}

// EXTERNAL MODULE: ./src/runner.ts
var runner = __webpack_require__(74813);
// EXTERNAL MODULE: ./src/login/end-login.ts
var end_login = __webpack_require__(5732);
;// CONCATENATED MODULE: ./src/login/docker-config.ts








/**
 * Writes this run's registry credentials to a private docker config under RUNNER_TEMP (merged with
 * any existing docker login), masks every secret, and returns the env that points tools at it.
 */
function startLogin(creds) {
    for (const s of secretsOf(creds))
        (0,commands/* setSecret */.Pq)(s);
    const existingFile = dockerConfigPath();
    let existing;
    if (external_node_fs_.existsSync(existingFile)) {
        try {
            existing = JSON.parse(external_node_fs_.readFileSync(existingFile, 'utf8'));
        }
        catch {
            (0,commands/* warning */.$e)(`Existing docker config ${existingFile} is not valid JSON; it is not merged`);
        }
    }
    const base = (0,runner/* runnerTemp */.X)();
    const dir = external_node_fs_.mkdtempSync(external_node_path_.join(base, `image-publish-auth-${external_node_crypto_.randomBytes(3).toString('hex')}-`));
    external_node_fs_.chmodSync(dir, 0o700);
    const configFile = external_node_path_.join(dir, 'config.json');
    // Keep the existing config's cli-plugins (docker buildx) and buildx builders (setup-buildx-action)
    // reachable from the new DOCKER_CONFIG.
    for (const sub of ['cli-plugins', 'buildx']) {
        const from = external_node_path_.join(external_node_path_.dirname(existingFile), sub);
        if (external_node_fs_.existsSync(from))
            external_node_fs_.symlinkSync(from, external_node_path_.join(dir, sub));
    }
    external_node_fs_.writeFileSync(configFile, JSON.stringify(mergeDockerConfig(existing, creds), null, 2), { mode: 0o600 });
    for (const c of creds)
        log/* info */.pq(`login: ${c.registry} as ${c.username}`);
    return { dir, configFile, env: { DOCKER_CONFIG: dir, REGISTRY_AUTH_FILE: configFile } };
}
// In its own module: the post step loads it without this one's imports.


;// CONCATENATED MODULE: ./src/login/session.ts





function openSession(plan, secrets) {
    const login = startLogin(secrets.credentials);
    saveCleanup({ credentialsDir: login.dir });
    const clients = new Map();
    const insecure = (registry) => plan.build.insecureRegistries.includes(registry);
    return {
        ...login,
        insecure,
        client(registry) {
            let c = clients.get(registry);
            if (!c) {
                c = new RegistryClient({
                    registry,
                    insecure: insecure(registry),
                    credentials: loadDockerCredentials(registry, login.configFile),
                    log: m => (0,commands/* debug */.Yz)(m)
                });
                clients.set(registry, c);
            }
            return c;
        }
    };
}

;// CONCATENATED MODULE: ./src/registry/manifests.ts
/** Reading pushed manifests: which platforms an index holds and what each platform image weighs. */
const INDEX_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json'
];
function isIndex(mediaType, body) {
    return INDEX_TYPES.includes(mediaType) || Array.isArray(body.manifests);
}
const platformString = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/');
/** Platform manifests of an index; attestation manifests (unknown/unknown, BuildKit) are not platforms. */
function platformsOfIndex(index) {
    return (index.manifests ?? [])
        .filter(m => m.platform &&
        m.platform.os !== 'unknown' &&
        m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
        .map(m => ({ platform: platformString(m.platform), digest: m.digest }));
}
const REFERENCE_DIGEST = 'vnd.docker.reference.digest';
/**
 * BuildKit's attestation manifests of an index (provenance, SBOM): `unknown/unknown` entries whose
 * `vnd.docker.reference.digest` names the platform manifest they describe. Kept verbatim, so a
 * merged index says the same as the build's own (as `docker buildx imagetools create` does).
 */
function attestationsOfIndex(index) {
    return (index.manifests ?? []).filter(m => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' && m.annotations[REFERENCE_DIGEST]);
}
/** Compressed size (config + layers, as pulled) and layer count of one image manifest. */
function imageWeight(manifest) {
    const layers = manifest.layers ?? [];
    return { size: layers.reduce((n, l) => n + l.size, 0) + (manifest.config?.size ?? 0), layers: layers.length };
}
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
/** Every tag of every image, index tags first, then per-arch tags at their platform manifest (pure). */
function tagOps(images, indexDigest, platforms) {
    const ops = [];
    for (const image of images) {
        const base = { image: image.name, registry: image.registry, repository: image.repository };
        for (const tag of image.tags)
            ops.push({ ...base, tag, digest: indexDigest });
        for (const [platform, tags] of Object.entries(image.archTags)) {
            const p = platforms.find(x => x.platform === platform);
            if (!p)
                throw new Error(`per-arch tags for ${platform}: the pushed index of ${image.name} has no ${platform} manifest`);
            for (const tag of tags)
                ops.push({ ...base, tag, digest: p.digest, platform });
        }
    }
    return ops;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./src/registry/tar-entries.ts
// A small streaming tar reader: headers are parsed as the bytes go by, file bodies are skipped unless
// the caller asks for one (and then only up to a limit), so a layer of any size costs one chunk of memory.
const BLOCK = 512;
/** Bytes as they arrive, taken in exact amounts. */
class ByteQueue {
    source;
    parts = [];
    length = 0;
    done = false;
    constructor(source) {
        this.source = source;
    }
    async fill(n) {
        while (this.length < n && !this.done) {
            const next = await this.source.next();
            if (next.done)
                this.done = true;
            else {
                const b = Buffer.from(next.value);
                this.parts.push(b);
                this.length += b.length;
            }
        }
        return this.length >= n;
    }
    /** Exactly n bytes, or undefined at the end of the stream. */
    async take(n) {
        if (!(await this.fill(n)))
            return undefined;
        const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
        this.parts = all.length > n ? [all.subarray(n)] : [];
        this.length = all.length - n;
        return all.subarray(0, n);
    }
    /** Drops n bytes without holding more than one chunk. */
    async skip(n) {
        let left = n;
        while (left > 0) {
            if (this.length === 0 && !(await this.fill(1)))
                throw new Error('the tar stream ends inside an entry');
            const head = this.parts[0];
            if (head.length <= left) {
                this.parts.shift();
                this.length -= head.length;
                left -= head.length;
            }
            else {
                this.parts[0] = head.subarray(left);
                this.length -= left;
                left = 0;
            }
        }
    }
}
const tar_entries_text = (b) => {
    const end = b.indexOf(0);
    return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
};
/** Numeric header fields are octal text, or base-256 when the high bit of the first byte is set. */
function numberField(b) {
    if (b[0] & 0x80) {
        let n = b[0] & 0x7f;
        for (let i = 1; i < b.length; i++)
            n = n * 256 + b[i];
        return n;
    }
    const s = tar_entries_text(b).trim();
    return s === '' ? 0 : parseInt(s, 8);
}
function checksumOk(h) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 32 : h[i];
    return sum === numberField(h.subarray(148, 156));
}
/** `key=value` records of a pax extended header (`<len> <key>=<value>\n`). */
function paxRecords(b) {
    const out = {};
    let at = 0;
    while (at < b.length) {
        const space = b.indexOf(0x20, at);
        if (space < 0)
            break;
        const len = Number(b.subarray(at, space).toString('ascii'));
        if (!Number.isFinite(len) || len <= 0)
            break;
        const record = b.subarray(space + 1, at + len - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq > 0)
            out[record.slice(0, eq)] = record.slice(eq + 1);
        at += len;
    }
    return out;
}
const clean = (name) => name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
const padded = (n) => Math.ceil(n / BLOCK) * BLOCK;
/** Long names and pax headers are at most this big; anything larger is not a header we trust. */
const MAX_META_BYTES = 1024 * 1024;
/**
 * Every entry of a tar stream, in order. `wantBody(entry)` gives the most bytes the caller will hold
 * for that entry's body (0: skip it); a body within the limit comes with the entry. Stops at the
 * end-of-archive blocks; a broken header throws (a layer we cannot read is not treated as empty).
 */
async function* tarEntries(source, wantBody) {
    const q = new ByteQueue(source[Symbol.asyncIterator]());
    let longName;
    let longLink;
    let pax = {};
    for (;;) {
        const h = await q.take(BLOCK);
        if (!h || h.every(x => x === 0))
            return;
        if (!checksumOk(h))
            throw new Error('a tar header has a bad checksum (not a tar stream?)');
        const size = numberField(h.subarray(124, 136));
        const type = String.fromCharCode(h[156] || 0x30);
        if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
            if (size > MAX_META_BYTES)
                throw new Error(`a tar ${type} header of ${size} B is too large`);
            const body = (await q.take(padded(size)))?.subarray(0, size);
            if (!body)
                throw new Error('the tar stream ends inside a header');
            if (type === 'L')
                longName = tar_entries_text(body);
            else if (type === 'K')
                longLink = tar_entries_text(body);
            else if (type === 'x')
                pax = paxRecords(body);
            continue;
        }
        const prefix = h.subarray(257, 263).toString('ascii').startsWith('ustar') ? tar_entries_text(h.subarray(345, 500)) : '';
        const short = tar_entries_text(h.subarray(0, 100));
        const entry = {
            name: clean(pax.path ?? longName ?? (prefix ? `${prefix}/${short}` : short)),
            type,
            size: pax.size !== undefined ? Number(pax.size) : size,
            linkName: pax.linkpath ?? longLink ?? tar_entries_text(h.subarray(157, 257))
        };
        longName = longLink = undefined;
        pax = {};
        const limit = wantBody(entry);
        if (limit > 0 && entry.size <= limit) {
            const body = await q.take(padded(entry.size));
            if (!body)
                throw new Error(`the tar stream ends inside ${entry.name}`);
            yield { ...entry, body: body.subarray(0, entry.size) };
        }
        else {
            await q.skip(padded(entry.size));
            yield entry;
        }
    }
}

;// CONCATENATED MODULE: ./src/registry/passwd.ts
// A named USER (`mcp`, `mcp:mcp`) means whatever the image's own /etc/passwd says. It is read from
// the pushed layers, top layer first, streamed (gzip, zstd where node:zlib has it, or plain tar), and
// the search stops at the first layer that holds the file or deletes it (whiteouts).



const PASSWD = 'etc/passwd';
/** /etc/passwd larger than this is not read (a real one is a few KiB). */
const MAX_PASSWD_BYTES = 4 * 1024 * 1024;
/** The layer bytes as tar: gzip and zstd recognised by their magic numbers, anything else taken as tar. */
async function* tarStream(body) {
    const it = body[Symbol.asyncIterator]();
    let head = Buffer.alloc(0);
    while (head.length < 4) {
        const n = await it.next();
        if (n.done)
            break;
        head = Buffer.concat([head, Buffer.from(n.value)]);
    }
    async function* all() {
        if (head.length > 0)
            yield head;
        for (;;) {
            const n = await it.next();
            if (n.done)
                return;
            yield n.value;
        }
    }
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const zstd = head.readUInt32LE(0) === 0xfd2fb528;
    if (!gzip && !zstd) {
        yield* all();
        return;
    }
    const zstdFactory = external_node_zlib_.createZstdDecompress;
    if (zstd && !zstdFactory) {
        await it.return?.();
        throw new Error('the layer is zstd-compressed and this Node.js has no zstd decompressor (node:zlib ≥ 22.15)');
    }
    const z = (gzip ? external_node_zlib_.createGunzip() : zstdFactory());
    const src = external_node_stream_.Readable.from(all());
    src.on('error', err => z.destroy(err));
    src.pipe(z);
    try {
        for await (const piece of z)
            yield piece;
    }
    finally {
        // Stopped early (the file was found): free the decompressor and the download.
        src.destroy();
        z.destroy();
        await it.return?.();
    }
}
/** One layer: the file's text, a whiteout that hides it (and every lower layer), or nothing. */
async function lookInLayer(layer, path) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    const base = path.slice(path.lastIndexOf('/') + 1);
    const hiding = new Map([
        [`${dir}/.wh.${base}`, `${layer.digest} deletes /${path} (whiteout ${dir}/.wh.${base})`],
        [`${dir}/.wh..wh..opq`, `${layer.digest} replaces /${dir} (opaque whiteout) without a ${base}`],
        [`.wh.${dir}`, `${layer.digest} deletes /${dir} (whiteout .wh.${dir})`]
    ]);
    let hidden;
    for await (const e of tarEntries(tarStream(await layer.open()), e => e.name === path && e.type === '0' ? MAX_PASSWD_BYTES : 0)) {
        if (e.name === path) {
            if (e.body)
                return { found: e.body.toString('utf8'), layer: layer.digest };
            const what = e.type === '2' ? `a symlink to ${e.linkName}` : e.type === '1' ? `a hard link to /${e.linkName}` : '';
            return {
                deleted: `/${path} in ${layer.digest} is ${what || `larger than ${MAX_PASSWD_BYTES} B`}`,
                layer: layer.digest
            };
        }
        hidden ??= hiding.get(e.name);
    }
    return hidden ? { deleted: hidden, layer: layer.digest } : undefined;
}
/** `path` as the image sees it: layers are given bottom first (manifest order) and read top first. */
async function findFile(layers, path = PASSWD) {
    for (const layer of [...layers].reverse()) {
        const hit = await lookInLayer(layer, path);
        if (hit)
            return hit;
    }
    return undefined;
}
/**
 * `config.User` against the text of /etc/passwd: a name (or the name part of `user:group`) is looked
 * up; the first matching line wins, as getpwnam does.
 */
function resolveUser(user, passwd, missing = 'the image has no /etc/passwd') {
    const name = user.trim().split(':')[0];
    if (passwd === undefined)
        return { source: `${missing}, so user "${name}" has no uid` };
    const lines = passwd.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].replace(/\r$/, '');
        const fields = line.split(':');
        if (fields.length < 4 || fields[0] !== name)
            continue;
        const source = `/etc/passwd line ${i + 1}: ${line}`;
        if (!/^\d+$/.test(fields[2]))
            return { source: `${source} (the uid field is not a number)` };
        return { uid: Number(fields[2]), ...(/^\d+$/.test(fields[3]) ? { gid: Number(fields[3]) } : {}), source };
    }
    return { source: `/etc/passwd (${lines.filter(l => l.trim()).length} lines) has no user "${name}"` };
}
/** The uid of a named user, read from the layers; numbers and root need no lookup (undefined). */
async function userFromLayers(user, layers) {
    const name = user.trim().split(':')[0];
    if (name === '' || name === 'root' || /^\d+$/.test(name))
        return undefined;
    const hit = await findFile(layers);
    if (hit && 'found' in hit)
        return resolveUser(user, hit.found);
    return resolveUser(user, undefined, hit ? hit.deleted : 'no layer holds /etc/passwd');
}

;// CONCATENATED MODULE: ./src/registry/image-facts.ts


async function platformFacts(client, repository, digest, platform) {
    const m = await client.getManifest(repository, digest);
    const body = JSON.parse(m.body.toString('utf8'));
    if (!body.config)
        throw new Error(`${client.registry}/${repository}@${digest} is not an image manifest`);
    const config = JSON.parse((await client.getBlob(repository, body.config.digest)).toString('utf8'));
    const weight = imageWeight(body);
    return {
        platform: platform ??
            platformString({
                os: config.os ?? 'linux',
                architecture: config.architecture ?? 'unknown',
                variant: config.variant
            }),
        digest,
        mediaType: m.mediaType,
        manifestSize: m.body.length,
        user: config.config?.User ?? '',
        labels: config.config?.Labels ?? {},
        compressedSize: weight.size,
        layers: weight.layers,
        layerDigests: (body.layers ?? []).map(l => l.digest)
    };
}
/** Reads an index (or single manifest) back from the registry with every platform's config. */
async function readPushedImage(client, repository, digest) {
    const m = await client.getManifest(repository, digest);
    const body = JSON.parse(m.body.toString('utf8'));
    if (!isIndex(m.mediaType, body)) {
        return {
            digest: m.digest,
            mediaType: m.mediaType,
            index: false,
            platforms: [await platformFacts(client, repository, m.digest, undefined)],
            listed: []
        };
    }
    const platforms = await Promise.all(platformsOfIndex(body).map(p => platformFacts(client, repository, p.digest, p.platform)));
    const listed = (body.manifests ?? []).map(d => ({ digest: d.digest, mediaType: d.mediaType ?? '' }));
    return { digest: m.digest, mediaType: m.mediaType, index: true, platforms, listed };
}
/**
 * Each platform whose config.User is a name gets the uid its own /etc/passwd gives (streamed from
 * the layers in `repository`, top layer first). Numbers and root need no lookup and are left as they are.
 */
async function resolveUsers(client, repository, facts) {
    const out = [];
    for (const f of facts) {
        const resolved = await userFromLayers(f.user, f.layerDigests.map(digest => ({ digest, open: async () => (await client.openBlob(repository, digest)).body })));
        out.push(resolved ? { ...f, resolvedUser: resolved } : f);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/registry/push-access.ts
// Before any build: do the credentials let this run push where it will push? Wrong passwords and
// missing push rights otherwise surface only after a long build. The check opens an upload session
// (which needs push: a push-scoped token, or Basic credentials the registry accepts) and deletes
// it, so it proves push on every registry kind and leaves nothing behind (no blob, no tag).

/** Why a failed check failed, in the user's terms; the registry's own detail stays in. */
function reason(client, repository, err, hasCredentials) {
    const detail = err.detail;
    if (/ are valid but lack push access | pushing to .* needs them/.test(detail))
        return detail;
    const tokenStep = /: token for .* from (\S+)$/.exec(err.operation);
    if (err.status === 401 && tokenStep) {
        return hasCredentials
            ? `the credentials for ${client.registry} were refused by its token server ${tokenStep[1]}: ${detail}`
            : `the token server ${tokenStep[1]} of ${client.registry} wants credentials: ${detail}`;
    }
    if (err.status === 401) {
        return hasCredentials
            ? `the credentials for ${client.registry} were refused: ${detail}`
            : `no credentials given for ${client.registry}, and pushing to ${repository} needs them: ${detail}`;
    }
    return `${err.operation}: ${detail}`;
}
/**
 * Throws unless the client's credentials may push to `repository`; the error names registry,
 * repository and the registry's answer. Takes seconds; call it for every repository a run
 * will write to before anything is built.
 */
async function checkPushAccess(client, repository) {
    try {
        await client.checkPush(repository);
    }
    catch (err) {
        if (!(err instanceof RegistryError))
            throw err;
        throw new RegistryError(client.registry, `push access check for ${repository}`, reason(client, repository, err, client.hasCredentials), err.status, undefined, err);
    }
}

;// CONCATENATED MODULE: ./src/engines/buildah/args.ts
function buildahBuildArgs(spec, o) {
    const args = [...o.globalFlags, 'build', '--manifest', o.manifest, '--platform', spec.platforms.join(',')];
    if (o.isolation)
        args.push('--isolation', o.isolation);
    if (spec.file)
        args.push('--file', spec.file);
    if (spec.target)
        args.push('--target', spec.target);
    for (const [k, v] of Object.entries(spec.buildArgs))
        args.push('--build-arg', `${k}=${v}`);
    for (const l of spec.labels)
        args.push('--label', l);
    // Image-level annotations go to each manifest; index-level ones are added to the index JSON
    // before upload (buildah 1.28 cannot annotate the index itself).
    for (const a of spec.annotations.filter(a => a.startsWith('manifest:')))
        args.push('--annotation', a.slice('manifest:'.length));
    for (const s of spec.secrets)
        args.push('--secret', s);
    for (const c of spec.cacheFrom)
        args.push('--cache-from', c);
    for (const c of spec.cacheTo)
        args.push('--cache-to', c);
    if (spec.pull)
        args.push('--pull=always');
    if (spec.noCache)
        args.push('--no-cache');
    args.push(spec.context);
    return args;
}
/** Writes the list and all its images to an OCI layout directory, and the list digest to a file. */
function buildahPushToLayoutArgs(o, layoutDir, digestFile) {
    return [
        ...o.globalFlags,
        'manifest',
        'push',
        '--all',
        '--format',
        'oci',
        '--digestfile',
        digestFile,
        o.manifest,
        `oci:${layoutDir}`
    ];
}
function buildahRemoveManifestArgs(o) {
    return [...o.globalFlags, 'manifest', 'rm', o.manifest];
}

;// CONCATENATED MODULE: ./src/registry/oci-layout.ts





const blobPath = (dir, digest) => external_node_path_.join(dir, 'blobs', ...digest.split(':'));
/** Manifests and indexes only: small JSON. Layers are streamed from disk by pushLayout. */
function readBlob(dir, digest) {
    const data = external_node_fs_.readFileSync(blobPath(dir, digest));
    if (client_digestOf(data) !== digest)
        throw new Error(`OCI layout ${dir}: blob ${digest} does not match its digest`);
    return data;
}
/** Reads the index `digest` of an OCI layout and every image it lists. */
function readLayout(dir, digest) {
    const body = readBlob(dir, digest);
    const index = JSON.parse(body.toString('utf8'));
    const imageOf = (d, b) => {
        const m = JSON.parse(b.toString('utf8'));
        return {
            digest: d.digest,
            mediaType: d.mediaType,
            body: b,
            blobs: [m.config.digest, ...m.layers.map(l => l.digest)]
        };
    };
    if (!index.manifests) {
        const mediaType = index.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
        return { digest, mediaType, body, manifests: [imageOf({ digest, mediaType, size: body.length }, body)] };
    }
    return {
        digest,
        mediaType: index.mediaType ?? 'application/vnd.oci.image.index.v1+json',
        body,
        manifests: index.manifests.map(d => imageOf(d, readBlob(dir, d.digest)))
    };
}
/** Adds index-level annotations (which buildah 1.28 cannot set) to the index bytes: a new digest. */
function annotateIndex(image, annotations) {
    if (Object.keys(annotations).length === 0 ||
        image.manifests.length === 0 ||
        image.body.equals(image.manifests[0].body))
        return image;
    const index = JSON.parse(image.body.toString('utf8'));
    index.annotations = { ...(index.annotations ?? {}), ...annotations };
    const body = Buffer.from(JSON.stringify(index));
    return { ...image, body, digest: client_digestOf(body) };
}
/**
 * Pushes the image by digest (blobs, then image manifests, then the index); no tag is written.
 * Blobs stream from disk a few at a time; each is hashed as it is read, so a layout file that
 * does not match its digest fails its upload (naming blob and layout) before the registry commits.
 */
async function pushLayout(dir, image, client, repository) {
    let uploaded = 0;
    let existing = 0;
    const blobs = [...new Set(image.manifests.flatMap(m => m.blobs))];
    const inFlight = limit(DEFAULT_BLOB_CONCURRENCY);
    await Promise.all(blobs.map(blob => inFlight(async () => {
        const source = fileBlobSource(blobPath(dir, blob), `OCI layout ${dir}`);
        if ((await client.uploadBlob(repository, blob, source)) === 'uploaded')
            uploaded++;
        else
            existing++;
    })));
    for (const m of image.manifests)
        await client.putManifest(repository, m.digest, m.body, m.mediaType);
    if (image.manifests.length !== 1 || image.manifests[0].digest !== image.digest) {
        await client.putManifest(repository, image.digest, image.body, image.mediaType);
    }
    return { uploaded, existing };
}

;// CONCATENATED MODULE: ./src/engines/buildah/run.ts








/**
 * Base images may come from plain-http registries (insecure-registries): containers/image learns
 * that from registries.conf. The file keeps Docker Hub as the search registry for short names.
 */
function registriesConf(dir, insecure) {
    if (insecure.length === 0)
        return {};
    const file = external_node_path_.join(dir, 'registries.conf');
    const entries = insecure.map(r => `[[registry]]\nlocation = ${JSON.stringify(r)}\ninsecure = true\n`);
    external_node_fs_.writeFileSync(file, ['unqualified-search-registries = ["docker.io"]', '', ...entries].join('\n'));
    return { CONTAINERS_REGISTRIES_CONF: file };
}
/**
 * buildah/podman: one build for every platform into a manifest list, written to a local OCI
 * layout. The caller uploads it by digest to each registry; the digest is that of the bytes uploaded.
 */
async function buildahBuild(engine, env, spec, o) {
    const work = external_node_fs_.mkdtempSync(external_node_path_.join((0,runner/* runnerTemp */.X)(), `image-publish-${engine}-`));
    const opts = {
        engine,
        globalFlags: o.globalFlags,
        isolation: o.isolation,
        manifest: `image-publish-${external_node_crypto_.randomBytes(4).toString('hex')}`
    };
    const layoutDir = external_node_path_.join(work, 'layout');
    const digestFile = external_node_path_.join(work, 'digest');
    try {
        await (0,exec/* runTool */.qI)(engine, buildahBuildArgs(spec, opts), {
            env: { ...env, ...registriesConf(work, o.insecureRegistries) },
            label: `${engine} build`
        });
        await (0,exec/* runTool */.qI)(engine, buildahPushToLayoutArgs(opts, layoutDir, digestFile), {
            env,
            label: `${engine} manifest push`
        });
    }
    finally {
        await (0,exec/* runTool */.qI)(engine, buildahRemoveManifestArgs(opts), { env, silent: true }).catch(() => undefined);
    }
    const listDigest = external_node_fs_.readFileSync(digestFile, 'utf8').trim();
    const indexAnnotations = Object.fromEntries(spec.annotations
        .filter(a => a.startsWith('index:'))
        .map(a => a.slice('index:'.length))
        .map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    const image = annotateIndex(readLayout(layoutDir, listDigest), indexAnnotations);
    log/* info */.pq(`${engine}: ${image.digest} with ${image.manifests.length} image(s)`);
    return { layoutDir, image, cleanup: () => external_node_fs_.rmSync(work, { recursive: true, force: true }) };
}

// EXTERNAL MODULE: ./src/engines/buildx/run.ts + 1 modules
var run = __webpack_require__(91624);
;// CONCATENATED MODULE: ./src/engines/local-layout.ts
// push: false — the build's OCI layout on disk, made scannable per platform. trivy `--input
// dir@<digest>` picks a manifest listed in index.json, and from a nested index it only takes the
// first image; so each platform manifest is listed in index.json itself (a layout we own, in temp).


const local_layout_isIndex = (d) => d.mediaType === 'application/vnd.oci.image.index.v1+json' ||
    d.mediaType === 'application/vnd.docker.distribution.manifest.list.v2+json';
const blob = (dir, digest) => external_node_path_.join(dir, 'blobs', ...digest.split(':'));
/** The layout's top digest and its platform images (attestation manifests left out), index.json extended. */
function platformInputs(dir) {
    const indexFile = external_node_path_.join(dir, 'index.json');
    const top = JSON.parse(external_node_fs_.readFileSync(indexFile, 'utf8'));
    const root = top.manifests[0];
    if (!root)
        throw new Error(`the build wrote no image to ${dir}`);
    const children = local_layout_isIndex(root)
        ? JSON.parse(external_node_fs_.readFileSync(blob(dir, root.digest), 'utf8')).manifests.filter(m => m.platform && m.platform.os !== 'unknown' && m.annotations?.['vnd.docker.reference.type'] === undefined)
        : [root];
    const listed = new Set(top.manifests.map(m => m.digest));
    top.manifests.push(...children.filter(c => !listed.has(c.digest)));
    external_node_fs_.writeFileSync(indexFile, JSON.stringify(top));
    return {
        digest: root.digest,
        scans: children.map(c => ({
            platform: c.platform
                ? [c.platform.os, c.platform.architecture, c.platform.variant].filter(Boolean).join('/')
                : 'unknown',
            ref: `${dir}@${c.digest}`,
            input: true
        }))
    };
}

;// CONCATENATED MODULE: ./src/setup/qemu.ts


/** binfmt_misc handler names per Go architecture. */
const QEMU_ARCH = {
    arm64: 'aarch64',
    arm: 'arm',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    mips64le: 'mips64el',
    loong64: 'loongarch64',
    '386': 'i386',
    amd64: 'x86_64'
};
/** Architectures (Go names, as binfmt --install takes them) whose emulator is not registered yet. */
function missingEmulators(platforms, hostArch, registered) {
    const need = new Set();
    for (const p of platforms) {
        const arch = p.split('/')[1];
        if (arch === hostArch)
            continue;
        // An amd64 host runs 386 natively; arm64 hosts often run arm natively, but only the kernel knows.
        if (hostArch === 'amd64' && arch === '386')
            continue;
        const q = QEMU_ARCH[arch];
        if (q && !registered.includes(`qemu-${q}`))
            need.add(arch);
    }
    return [...need];
}
const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';
/** Enabled qemu-* handlers in binfmt_misc. */
function registeredEmulators(dir = BINFMT_DIR) {
    if (!external_node_fs_.existsSync(dir))
        return [];
    return external_node_fs_.readdirSync(dir)
        .filter(f => f.startsWith('qemu-'))
        .filter(f => {
        try {
            return external_node_fs_.readFileSync(`${dir}/${f}`, 'utf8').startsWith('enabled');
        }
        catch {
            return false;
        }
    });
}
/** `docker run` argv that registers the emulators with the binfmt image (tonistiigi/binfmt style). */
function binfmtInstallArgs(image, arches) {
    return ['run', '--rm', '--privileged', image, '--install', arches.join(',')];
}
/**
 * Registers QEMU for the platforms binfmt_misc lacks, with the binfmt installer image, unless the
 * builder is remote (its own machine decides). Returns what it did, for the log.
 */
async function setupQemu(o) {
    const missing = missingEmulators(o.platforms, o.hostArch, registeredEmulators());
    if (missing.length === 0)
        return 'QEMU: every platform already runs here';
    if (o.remoteBuilder)
        return `QEMU: ${missing.join(', ')} left to the remote builder`;
    await (0,exec/* runTool */.qI)('docker', binfmtInstallArgs(o.binfmtImage, missing), { env: o.env });
    return `QEMU: registered ${missing.join(', ')} with ${o.binfmtImage}`;
}

;// CONCATENATED MODULE: ./src/publish/build-stage.ts










function buildSpec(plan) {
    const b = plan.build;
    return {
        context: b.context,
        file: b.file,
        target: b.target,
        platforms: plan.platforms,
        buildArgs: b.buildArgs,
        labels: plan.meta.labels,
        annotations: plan.meta.annotations,
        secrets: b.secrets,
        cacheFrom: b.cacheFrom,
        cacheTo: b.cacheTo,
        provenance: b.provenance,
        sbom: b.sbom,
        pull: b.pull,
        noCache: b.noCache,
        repositories: [...new Set(plan.images.map(i => i.name))]
    };
}
/**
 * Asks `buildx version` while the logins and tool probes run: the probe's answer is kept for the
 * run (tools/probe.ts), so Setup finds it ready. Nothing is printed or thrown here; Setup reports.
 */
function warmEngine(plan, session) {
    if (plan.build.engine === 'buildx')
        (0,run/* resolveBuildx */.DY)(session.env).catch(() => undefined);
}
async function setupEngine(plan, session, phase) {
    const env = session.env;
    const b = plan.build;
    const buildx = b.engine === 'buildx';
    return phase('Setup', async () => {
        log/* info */.pq(await setupQemu({
            platforms: plan.platforms,
            hostArch: plan.hostPlatform.split('/')[1],
            binfmtImage: b.binfmtImage,
            remoteBuilder: buildx && (b.builder.driver === 'remote' || b.builder.name !== ''),
            env
        }));
        if (!buildx)
            return undefined;
        const bx = await (0,run/* resolveBuildx */.DY)(env);
        const handle = await (0,run/* setupBuilder */.XN)(bx, env, { ...b.builder, platforms: plan.platforms });
        if (handle.created && !b.builder.keep)
            saveCleanup({ builder: handle.name, buildx: bx, dockerConfig: session.dir });
        return { buildx: bx, builder: handle };
    });
}
/**
 * push: false — every platform built (a broken Dockerfile fails here), into a local OCI layout (or,
 * with load, a docker archive loaded into the daemon). Nothing reaches a registry.
 */
async function buildLocal(plan, session, phase) {
    const env = session.env;
    const setup = await setupEngine(plan, session, phase);
    return phase('Build (not pushed)', async () => {
        const spec = { ...buildSpec(plan), repositories: [] };
        if (setup) {
            const work = external_node_fs_.mkdtempSync(external_node_path_.join((0,runner/* runnerTemp */.X)(), 'image-publish-local-'));
            const cleanup = () => external_node_fs_.rmSync(work, { recursive: true, force: true });
            try {
                if (plan.load) {
                    const archive = external_node_path_.join(work, 'image.tar');
                    const r = await (0,run/* buildxPush */.T5)(setup.buildx, env, setup.builder.name, {
                        ...spec,
                        local: { type: 'docker', dest: archive, names: plan.refs }
                    });
                    await (0,run/* dockerLoad */.dy)(env, archive);
                    log/* info */.pq(`built ${r.digest} for ${plan.platforms.join(', ')} and loaded it as ${plan.refs.join(', ') || '(no tags)'} (built, not pushed)`);
                    return { ...r, scans: [{ platform: plan.platforms[0], ref: archive, input: true }], cleanup };
                }
                const dir = external_node_path_.join(work, 'layout');
                const r = await (0,run/* buildxPush */.T5)(setup.buildx, env, setup.builder.name, { ...spec, local: { type: 'oci', dest: dir } });
                const layout = platformInputs(dir);
                log/* info */.pq(`built ${r.digest} for ${layout.scans.map(s => s.platform).join(', ')} (built, not pushed)`);
                return { ...r, scans: layout.scans, cleanup };
            }
            catch (err) {
                cleanup();
                throw err;
            }
        }
        const engine = plan.build.engine;
        const built = await buildahBuild(engine, env, spec, {
            globalFlags: plan.build.engineFlags,
            isolation: plan.build.isolation,
            insecureRegistries: plan.build.insecureRegistries
        });
        const layout = platformInputs(built.layoutDir);
        log/* info */.pq(`built ${built.image.digest} for ${layout.scans.map(s => s.platform).join(', ')} (built, not pushed)`);
        const metadata = JSON.stringify({
            engine,
            'containerimage.digest': built.image.digest,
            manifests: built.image.manifests.map(m => m.digest)
        });
        return { digest: built.image.digest, metadata, scans: layout.scans, cleanup: built.cleanup };
    });
}
/** QEMU + builder, then one build pushed by digest (no tag) to every image of the plan. */
async function buildAndPush(plan, session, phase, beforePush = async () => undefined) {
    const env = session.env;
    const b = plan.build;
    const setup = await setupEngine(plan, session, phase);
    return phase('Build and push by digest', async () => {
        await beforePush();
        const spec = buildSpec(plan);
        if (setup) {
            const r = await (0,run/* buildxPush */.T5)(setup.buildx, env, setup.builder.name, spec);
            log/* info */.pq(`pushed ${r.digest} to ${plan.images.map(i => i.name).join(', ')} (no tag)`);
            return r;
        }
        const engine = b.engine;
        const built = await buildahBuild(engine, env, spec, {
            globalFlags: b.engineFlags,
            isolation: b.isolation,
            insecureRegistries: b.insecureRegistries
        });
        try {
            for (const image of plan.images) {
                const n = await pushLayout(built.layoutDir, built.image, session.client(image.registry), image.repository);
                log/* info */.pq(`pushed ${built.image.digest} to ${image.name} (no tag): ${n.uploaded} blobs uploaded, ${n.existing} already there`);
            }
        }
        finally {
            built.cleanup();
        }
        const metadata = JSON.stringify({
            engine,
            'containerimage.digest': built.image.digest,
            manifests: built.image.manifests.map(m => m.digest)
        });
        return { digest: built.image.digest, metadata };
    });
}

;// CONCATENATED MODULE: ./src/supply/sarif.ts


// GitHub ranks code-scanning alerts by `security-severity` (>= 9 critical, >= 7 high, >= 4 medium,
// > 0 low). Trivy's own SARIF maps severities to these scores; the same mapping keeps GitHub's
// ranking equal to the gate's.
const SCORE = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' };
const LEVEL = {
    CRITICAL: 'error',
    HIGH: 'error',
    MEDIUM: 'warning',
    LOW: 'note',
    UNKNOWN: 'note'
};
/**
 * The location GitHub shows: the image repository without registry, tag or digest, as trivy's
 * SARIF writes it ("127.0.0.1:5000/bed/app@sha256:…" → "bed/app", "alpine" → "library/alpine").
 */
function imageUri(ref) {
    // A local OCI layout or archive (push: false without an image name) is a path, not a reference:
    // the path itself, without the @digest of the platform manifest.
    if (ref.startsWith('/') || ref.startsWith('.'))
        return ref.replace(/@sha256:[0-9a-f]{64}$/, '');
    // trivy's uri is go-containerregistry's RepositoryStr, which is reference.ts's repository.
    return parseReference(ref).repository;
}
function mostSevere(findings) {
    return SEVERITIES[Math.min(...findings.map(f => severityRank(f.severity)))];
}
function rule(id, findings) {
    const severity = mostSevere(findings);
    const first = findings[0];
    const title = first.title ?? id;
    const pkgs = [...new Set(findings.map(f => `${f.pkg}${f.fixed ? ` (fixed in ${f.fixed})` : ''}`))].sort();
    const link = first.url ? `[${id}](${first.url})` : id;
    return {
        id,
        shortDescription: { text: title },
        fullDescription: { text: title },
        ...(first.url ? { helpUri: first.url } : {}),
        help: {
            text: `Vulnerability ${id}\nSeverity: ${severity}\nPackages: ${pkgs.join(', ')}\nLink: ${first.url ?? 'none'}\n`,
            markdown: `**Vulnerability ${id}**\n\n| Severity | Packages | Link |\n| --- | --- | --- |\n| ${severity} | ${pkgs.join(', ')} | ${link} |\n`
        },
        defaultConfiguration: { level: LEVEL[severity] },
        properties: {
            precision: 'very-high',
            'security-severity': SCORE[severity],
            tags: ['vulnerability', 'security', severity]
        }
    };
}
function result(f, platform, uri, ruleIndex) {
    const fix = f.fixed ? `fixed in ${f.fixed}` : 'no fix available';
    return {
        ruleId: f.id,
        ruleIndex,
        level: LEVEL[f.severity],
        message: {
            text: `${platform}: ${f.pkg} ${f.installed} has ${f.id} (${f.severity}), ${fix}${f.title ? `: ${f.title}` : ''}`
        },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri },
                    region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }
                },
                message: { text: `${platform}: ${f.pkg}@${f.installed}` }
            }
        ],
        properties: { platform, package: f.pkg, installedVersion: f.installed, fixedVersion: f.fixed ?? '', target: f.target }
    };
}
/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif: every finding of every platform, whatever
 * the gate says (code scanning is where ignored and unfixed findings stay visible). One run, so
 * the upload never carries two runs of the same tool and category.
 */
function toSarif(scans, toolVersion) {
    const byRule = new Map();
    for (const s of scans)
        for (const f of s.findings)
            byRule.set(f.id, [...(byRule.get(f.id) ?? []), f]);
    const ids = [...byRule.keys()].sort();
    const index = new Map(ids.map((id, i) => [id, i]));
    return {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'Trivy',
                        fullName: 'Trivy Vulnerability Scanner',
                        informationUri: 'https://github.com/aquasecurity/trivy',
                        version: toolVersion,
                        rules: ids.map(id => rule(id, byRule.get(id)))
                    }
                },
                results: scans.flatMap(s => s.findings.map(f => result(f, s.platform, imageUri(s.ref), index.get(f.id)))),
                columnKind: 'utf16CodeUnits'
            }
        ]
    };
}

;// CONCATENATED MODULE: ./src/supply/trivy-args.ts
// argv for trivy v0.74 (every flag checked against `trivy image --help` / `trivy convert --help`).
/**
 * Flags that make trivy read no trivy.yaml (and for scans no .trivyignore) from the working directory (the
 * user's checkout): either would filter findings out of the report, and the report must hold all
 * of them — the gate applies the ignore file itself.
 */
const NO_CONFIG = ['--config', '/dev/null'];
const NO_LOCAL_CONFIG = [...NO_CONFIG, '--ignorefile', '/dev/null'];
const QUIET = ['--skip-version-check', '--disable-telemetry', '--no-progress'];
const ALL_SEVERITIES = 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL';
/**
 * Download the vulnerability DB only. Several repositories become repeated --db-repository flags
 * (trivy also takes a comma list), but trivy moves on to the next one only on a temporary error
 * (429/5xx): the adapter therefore calls this once per mirror.
 */
function trivyDbArgs(o) {
    return [
        'image',
        '--download-db-only',
        '--cache-dir',
        o.cacheDir,
        ...o.dbRepositories.flatMap(r => ['--db-repository', r]),
        ...(o.insecure ? ['--insecure'] : []),
        ...QUIET,
        ...NO_CONFIG
    ];
}
/**
 * Scan an image in the registry (never a local image of the same name) with the DB prepared
 * before. No --exit-code and no filtering: the gate reads the report. `--cache-backend memory`
 * because the fs backend holds an exclusive lock on CACHE/fanal/fanal.db for the whole run,
 * which serialises (or times out) parallel scans; the vulnerability DB is opened read-only.
 * SBOM formats get no --scanners: trivy then writes a pure inventory (with --scanners vuln a
 * CycloneDX document would carry vulnerabilities that go stale).
 */
function trivyScanArgs(o) {
    const json = o.format === 'json';
    return [
        'image',
        '--cache-dir',
        o.cacheDir,
        '--cache-backend',
        'memory',
        '--skip-db-update',
        '--skip-java-db-update',
        ...QUIET,
        ...NO_LOCAL_CONFIG,
        ...(o.input ? [] : ['--image-src', 'remote']),
        // Explicit, so a TRIVY_SEVERITY in the environment cannot drop findings either.
        ...(json ? ['--scanners', 'vuln', '--severity', ALL_SEVERITIES, '--list-all-pkgs'] : []),
        '--format',
        o.format,
        '--output',
        o.output,
        ...(o.insecure && !o.input ? ['--insecure'] : []),
        ...(o.input ? ['--input', o.ref] : [o.ref])
    ];
}
/** Turn a saved JSON report into an SBOM without fetching the image again. */
function trivyConvertArgs(o) {
    return ['convert', '--format', o.format, '--output', o.output, ...NO_LOCAL_CONFIG, o.report];
}
function trivyVersionArgs() {
    return ['version', '--format', 'json'];
}
/**
 * Blank every TRIVY_* variable of the runner's environment (trivy ignores empty ones): e.g.
 * TRIVY_SEVERITY, TRIVY_IGNORE_STATUS or TRIVY_EXIT_CODE would filter the report or fail a scan
 * the gate should judge. The action's inputs are trivy's only configuration.
 */
function neutralTrivyEnv(env) {
    return Object.fromEntries(Object.keys(env)
        .filter(k => k.startsWith('TRIVY_'))
        .map(k => [k, '']));
}
/** "linux/arm/v7" → "linux-arm-v7": a file-name-safe platform. */
function platformSlug(platform) {
    const slug = platform.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
    if (!slug || /^\.+$/.test(slug))
        throw new Error(`platform "${platform}" gives no usable file name`);
    return slug;
}
function reportFileName(platform) {
    return `trivy-${platformSlug(platform)}.json`;
}
function sbomFileName(platform, format) {
    return `sbom-${platformSlug(platform)}.${format === 'spdx-json' ? 'spdx' : 'cdx'}.json`;
}

;// CONCATENATED MODULE: ./src/supply/trivy-report.ts

const trivy_report_str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
function parseJson(json, source) {
    let raw;
    try {
        raw = JSON.parse(json);
    }
    catch (e) {
        throw new Error(`${source}: not a trivy JSON report (${e.message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('SchemaVersion' in raw)) {
        throw new Error(`${source}: not a trivy JSON report (no SchemaVersion)`);
    }
    const report = raw;
    // A new schema may move fields: reading it as v2 could silently drop findings and pass the gate.
    if (report.SchemaVersion !== 2) {
        throw new Error(`${source}: trivy report schema ${String(report.SchemaVersion)} is not supported (expected 2)`);
    }
    if (report.Results !== undefined && report.Results !== null && !Array.isArray(report.Results)) {
        throw new Error(`${source}: not a trivy JSON report (Results is not a list)`);
    }
    return report;
}
function toFinding(v, target, source) {
    const id = trivy_report_str(v.VulnerabilityID);
    const pkg = trivy_report_str(v.PkgName);
    if (!id || !pkg)
        throw new Error(`${source}: a vulnerability in ${target} has no VulnerabilityID or PkgName`);
    // Fail closed: an unknown severity must not fall through the thresholds.
    if (!isSeverity(v.Severity)) {
        throw new Error(`${source}: ${id} in ${pkg} has unknown severity ${JSON.stringify(v.Severity)}`);
    }
    const f = { id, pkg, installed: trivy_report_str(v.InstalledVersion) ?? '', severity: v.Severity, target };
    const fixed = trivy_report_str(v.FixedVersion);
    if (fixed)
        f.fixed = fixed;
    const title = trivy_report_str(v.Title);
    if (title)
        f.title = title;
    const status = trivy_report_str(v.Status);
    if (status)
        f.status = status;
    const url = trivy_report_str(v.PrimaryURL);
    if (url)
        f.url = url;
    return f;
}
/** Findings of a `trivy image --format json` report; throws naming `source` if it is not one. */
function parseTrivyReport(json, source) {
    const report = parseJson(json, source);
    const results = (report.Results ?? []);
    const findings = [];
    let packageCount = 0;
    for (const r of results) {
        const target = trivy_report_str(r.Target) ?? '';
        if (Array.isArray(r.Packages))
            packageCount += r.Packages.length;
        if (Array.isArray(r.Vulnerabilities)) {
            for (const v of r.Vulnerabilities)
                findings.push(toFinding(v, target, source));
        }
    }
    const family = trivy_report_str(report.Metadata?.OS?.Family);
    const name = trivy_report_str(report.Metadata?.OS?.Name);
    const os = family ? [family, name].filter(Boolean).join(' ') : undefined;
    return os ? { os, findings, packageCount } : { findings, packageCount };
}
/**
 * The report without its vulnerabilities: converted to an SBOM it gives a pure inventory, the
 * same one a direct `--format cyclonedx` scan writes, without fetching the image a second time.
 */
function inventoryOnly(json, source) {
    const report = parseJson(json, source);
    const results = (report.Results ?? []).map(r => {
        const copy = { ...r };
        delete copy.Vulnerabilities;
        return copy;
    });
    return JSON.stringify({ ...report, Results: results });
}

;// CONCATENATED MODULE: ./src/supply/trivy.ts











const trivyEnv = (extra = {}) => ({
    ...neutralTrivyEnv(process.env),
    ...extra
});
function dbMetadataPath(cacheDir) {
    return external_node_path_default().join(cacheDir, 'db', 'metadata.json');
}
/**
 * Fetch the vulnerability DB once per run; every scan then runs with --skip-db-update. `quiet`
 * (a fetch beside the build, see prefetchTrivyDb) prints nothing: it returns what it would have
 * printed.
 */
async function prepareTrivyDb(trivy, o, quiet = false) {
    const meta = dbMetadataPath(o.cacheDir);
    const transcript = { output: '', failedMirrors: [] };
    if (o.skipUpdate && (0,external_node_fs_.existsSync)(meta)) {
        const text = `trivy: using the vulnerability DB in ${o.cacheDir} as it is (no update)`;
        if (quiet)
            transcript.output = `${text}\n`;
        else
            log/* info */.pq(text);
        return transcript;
    }
    // One call per mirror: trivy itself only moves on after a temporary error (429, 5xx), not
    // after a missing repository, a refused connection or a denied pull.
    const attempts = o.dbRepositories.length ? o.dbRepositories.map(r => [r]) : [[]];
    const errors = [];
    for (const repos of attempts) {
        const from = repos[0] ?? "trivy's default repositories";
        const args = trivyDbArgs({ cacheDir: o.cacheDir, dbRepositories: repos, insecure: o.insecure });
        if (quiet)
            transcript.output += `[command]${[trivy, ...args].join(' ')}\n`;
        try {
            const out = await (0,exec/* runTool */.qI)(trivy, args, {
                env: trivyEnv(o.env),
                label: `trivy DB download from ${from}`,
                silent: quiet
            });
            if (quiet)
                transcript.output += out.stdout + out.stderr;
            if (!(0,external_node_fs_.existsSync)(meta))
                throw new Error(`trivy exited 0 but wrote no ${meta}`);
            transcript.failedMirrors = errors.map(e => `trivy DB: ${e.split('\n')[0]}`);
            return transcript;
        }
        catch (e) {
            if (quiet)
                transcript.output += `${e.message}\n`;
            errors.push(`${from}: ${e.message}`);
            if (!quiet && repos !== attempts[attempts.length - 1]) {
                (0,commands/* warning */.$e)(`trivy DB: ${from} failed, trying the next mirror`);
            }
        }
    }
    throw new Error(`trivy vulnerability DB could not be downloaded:\n${errors.join('\n')}`);
}
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const i = next++;
            try {
                out[i] = await fn(items[i]);
            }
            catch (e) {
                // Start nothing new; scans already running finish, then the first error is thrown.
                failed = true;
                throw e;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
async function scanOne(trivy, s, o, env) {
    const report = external_node_path_default().join(o.outDir, reportFileName(s.platform));
    await (0,exec/* runTool */.qI)(trivy, trivyScanArgs({
        ref: s.ref,
        input: s.input,
        output: report,
        format: 'json',
        cacheDir: o.cacheDir,
        insecure: o.insecure
    }), {
        env,
        label: `trivy image (${s.platform})`
    });
    const text = await (0,external_node_fs_promises_.readFile)(report, 'utf8');
    const parsed = parseTrivyReport(text, report);
    const result = { platform: s.platform, ref: s.ref, report, ...parsed };
    if (o.sbomFormat === 'none')
        return result;
    // The SBOM comes from the report just written: the image is fetched once per platform and
    // the SBOM lists exactly the packages that were scanned.
    const tmp = await (0,external_node_fs_promises_.mkdtemp)(external_node_path_default().join((0,external_node_os_.tmpdir)(), 'image-publish-sbom-'));
    try {
        const inventory = external_node_path_default().join(tmp, 'inventory.json');
        await (0,external_node_fs_promises_.writeFile)(inventory, inventoryOnly(text, report));
        const sbom = external_node_path_default().join(o.outDir, sbomFileName(s.platform, o.sbomFormat));
        await (0,exec/* runTool */.qI)(trivy, trivyConvertArgs({ report: inventory, output: sbom, format: o.sbomFormat }), {
            env,
            label: `trivy convert (${s.platform})`
        });
        return { ...result, sbom };
    }
    finally {
        await (0,external_node_fs_promises_.rm)(tmp, { recursive: true, force: true });
    }
}
/** Scan each platform manifest (repo@sha256:…) in the registry, with an SBOM each, in parallel (bounded by the cores). */
async function scanPlatforms(trivy, scans, o) {
    // Each scan is CPU-bound (decompressing layers, matching packages): one per core.
    const concurrency = o.concurrency ?? Math.max(1, (0,external_node_os_.availableParallelism)());
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(`trivy: concurrency must be a whole number >= 1, got ${concurrency}`);
    }
    const slugs = scans.map(s => platformSlug(s.platform));
    const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
    // Two platforms sharing a file name would overwrite each other's report.
    if (dup)
        throw new Error(`trivy: two platforms would write the same report file (${dup})`);
    await (0,external_node_fs_promises_.mkdir)(o.outDir, { recursive: true });
    const env = trivyEnv(o.env);
    return mapLimit(scans, concurrency, s => scanOne(trivy, s, o, env));
}
/**
 * "0.74.0": from the `trivy --version` the installer already ran (one probe per run), else as
 * `trivy version --format json` reports it.
 */
async function trivyVersion(trivy) {
    const plain = await (0,probe/* probe */.d)(trivy, TOOLS.trivy.versionArgs, { env: trivyEnv(), label: 'trivy --version' }).then(o => TOOLS.trivy.parseVersion(o.stdout), () => undefined);
    if (plain)
        return plain.replace(/^v/, '');
    const { stdout } = await (0,probe/* probe */.d)(trivy, trivyVersionArgs(), { env: trivyEnv(), label: 'trivy version' });
    let version;
    try {
        version = JSON.parse(stdout).Version;
    }
    catch {
        version = undefined;
    }
    if (typeof version !== 'string' || !version)
        throw new Error(`trivy version: unexpected output ${stdout.trim()}`);
    return version;
}

;// CONCATENATED MODULE: ./src/supply/pipeline.ts










const dbOptions = (req) => ({
    cacheDir: req.cacheDir,
    dbRepositories: req.dbRepositories,
    insecure: req.insecure,
    env: req.env
});
/**
 * Fetches the DB while the image builds: it depends on nothing the build makes. Quiet (a build's
 * log group is open meanwhile) and never rejecting: a failed fetch is simply done again, loudly,
 * by the scan phase, which then reports the real error.
 */
function prefetchTrivyDb(req) {
    const start = Date.now();
    return {
        done: prepareTrivyDb(req.trivy, dbOptions(req), true).then(t => ({ ...t, seconds: (Date.now() - start) / 1000 }), () => undefined)
    };
}
/** DB once, then every platform in parallel; the verdict is computed here from the JSON reports. */
async function scanAndSbom(req) {
    external_node_fs_.mkdirSync(req.outDir, { recursive: true });
    const fetched = await req.db?.done;
    if (fetched) {
        log/* relay */.Ee(fetched.output);
        for (const w of fetched.failedMirrors)
            log/* warning */.$e(w);
        log/* info */.pq(`trivy: vulnerability DB fetched beside the build (${fetched.seconds.toFixed(1)} s)`);
    }
    else {
        await prepareTrivyDb(req.trivy, dbOptions(req));
    }
    const results = await scanPlatforms(req.trivy, req.scans, {
        outDir: req.outDir,
        cacheDir: req.cacheDir,
        insecure: req.insecure,
        sbomFormat: req.sbomFormat,
        env: req.env
    });
    const perPlatform = {};
    const reports = {};
    const sboms = {};
    const packages = {};
    for (const r of results) {
        perPlatform[r.platform] = r.findings;
        reports[r.platform] = r.report;
        packages[r.platform] = r.packageCount;
        if (r.sbom)
            sboms[r.platform] = r.sbom;
        log/* info */.pq(`${r.platform}: ${r.findings.length} finding(s), ${r.packageCount} package(s)${r.os ? `, ${r.os}` : ', OS not detected'}`);
    }
    const sarif = external_node_path_.join(req.outDir, 'trivy.sarif');
    const version = await trivyVersion(req.trivy);
    external_node_fs_.writeFileSync(sarif, JSON.stringify(toSarif(results.map(r => ({ platform: r.platform, ref: req.sarifName ?? r.ref, findings: r.findings })), version), null, 2));
    const verdict = req.gate ? evaluateGate(req.gate, perPlatform, req.now) : undefined;
    return { verdict, reports, sboms, sarif, packages };
}
/** Runs every task, at most `bound` at once; throws the first failure once all have settled. */
async function settled(items, bound, fn) {
    const run = limit(bound);
    const results = await Promise.allSettled(items.map(i => run(() => fn(i))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
}
/** cosign processes at once: each is CPU-bound for its key decryption and hashing. */
const cosignConcurrency = () => Math.max(1, external_node_os_.availableParallelism());
/**
 * `cosign sign` processes at once. A signature is mostly waiting on the registry: measured on the
 * bed (2 cores), one process signing an index and its two platform manifests took 0.92–1.05 s,
 * three processes at once 0.58–0.65 s, two at a time 0.65–0.74 s.
 */
const signConcurrency = () => Math.max(4, cosignConcurrency());
/**
 * Sign and attest. With recursive signing and the listed manifests known, every subject (each
 * index and each manifest it lists) is signed by its own non-recursive process: the same
 * signatures as `--recursive`, which signs them one after another. A subject's attestation
 * follows its own sign at once, beside the other subjects' work. A signature and an attestation
 * of one subject both write its `sha256-<digest>` referrers fallback index, and a concurrent write
 * would lose one; different subjects write different ones.
 * Else (not recursive, keyless: one process asks Fulcio for one certificate, N would ask N
 * times, an index listing an index) one sign for every reference, then the attests.
 */
async function signAndAttest(req) {
    const attestAll = (items, bound) => settled(items, bound, a => attest(req.cosign, req.config, a.ref, a.sbom, req.sbomType, req.env));
    const split = req.config.recursive && req.config.mode !== 'keyless' && req.listed !== undefined;
    const subjects = [...new Set([...req.refs, ...(req.listed ?? [])])];
    if (!split || subjects.length < 2) {
        await signDigests(req.cosign, req.config, req.refs, req.env);
        return attestAll(req.attestations, cosignConcurrency());
    }
    const single = { ...req.config, recursive: false };
    const slot = limit(signConcurrency());
    await settled(subjects, subjects.length, async (ref) => {
        await slot(() => signDigests(req.cosign, single, [ref], req.env));
        await settled(req.attestations.filter(a => a.ref === ref), 1, a => slot(() => attest(req.cosign, req.config, a.ref, a.sbom, req.sbomType, req.env)));
    });
    // An attestation of something not signed here (not expected): after every sign, as before.
    await attestAll(req.attestations.filter(a => !subjects.includes(a.ref)), cosignConcurrency());
}
/**
 * sign → attest → verify with the same key/identity; any failure throws before a tag exists.
 * Processes: the signs and attests (signAndAttest); then one verify and one verify-attestation,
 * concurrently (reads only).
 */
async function signAndVerify(req) {
    await signAndAttest(req);
    const verify = [...req.refs, ...(req.config.recursive ? req.platformRefs : [])];
    await settled([0, 1], 2, async (which) => which === 0
        ? verifyDigests(req.cosign, req.config, verify, req.env)
        : verifyAttestations(req.cosign, req.config, req.attestations.map(a => a.ref), req.sbomType, req.env));
    log/* info */.pq(`verified ${verify.length} signature(s) and ${req.attestations.length} attestation(s)`);
    return {
        signed: verify,
        attested: req.attestations.map(a => a.ref),
        verifyCommand: verifyCommand(req.config, req.refs[0])
    };
}

;// CONCATENATED MODULE: ./src/publish/tag-writes.ts

/** Tag writes in flight per registry: a handful, as a registry serves one repository's tags. */
const TAG_WRITES_PER_REGISTRY = 4;
const manifestKey = (op) => `${op.registry}\n${op.repository}\n${op.digest}`;
/**
 * The waves, in order: per-arch tags (platform manifests) before index tags, since an index PUT
 * reads the links a child's PUT rewrites. Pure; order inside a wave is the planned order.
 */
function tagWaves(ops) {
    const children = ops.filter(o => o.platform !== undefined);
    const indexes = ops.filter(o => o.platform === undefined);
    return [children, indexes].filter(w => w.length > 0);
}
/** Each distinct registry/repository/digest once: the manifests to read before any tag is written. */
function manifestsToRead(ops) {
    const seen = new Map();
    for (const op of ops)
        if (!seen.has(manifestKey(op)))
            seen.set(manifestKey(op), op);
    return [...seen.values()];
}
/**
 * Writes every tag, at most `perRegistry` requests at once per registry; `done` is called as each
 * tag lands (the log keeps the planned order only within what finished). Throws the first failure
 * after the wave it belongs to has settled, so no request is left running behind the error.
 */
async function writeTags(ops, session, done, perRegistry = TAG_WRITES_PER_REGISTRY) {
    const limits = new Map();
    const bound = (registry) => {
        let l = limits.get(registry);
        if (!l)
            limits.set(registry, (l = limit(perRegistry)));
        return l;
    };
    const settle = async (items, fn) => {
        const results = await Promise.allSettled(items.map(fn));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed)
            throw failed.reason;
    };
    const read = new Map();
    await settle(manifestsToRead(ops), async (op) => {
        const m = await bound(op.registry)(() => session.client(op.registry).getManifest(op.repository, op.digest));
        read.set(manifestKey(op), m);
    });
    for (const wave of tagWaves(ops)) {
        await settle(wave, async (op) => {
            await bound(op.registry)(() => session.client(op.registry).tag(op.repository, op.digest, op.tag, read.get(manifestKey(op))));
            done(op);
        });
    }
}

;// CONCATENATED MODULE: ./src/publish/immutable.ts



/** Images the policy makes immutable (a tag there is never moved). */
function immutableImages(plan) {
    return new Set((plan.policy?.bindings ?? []).filter(b => b.rule.immutable).map(b => b.image));
}
/** The current digest of every planned tag of an immutable image that already exists. */
async function existingImmutableTags(ops, plan, session) {
    const immutable = immutableImages(plan);
    // Reads only, before any write: concurrent, a few per registry, results in the planned order.
    const limits = new Map();
    const bound = (registry) => {
        let l = limits.get(registry);
        if (!l)
            limits.set(registry, (l = limit(TAG_WRITES_PER_REGISTRY)));
        return l;
    };
    const heads = await Promise.all(ops
        .filter(o => immutable.has(o.image))
        .map(async (op) => ({
        op,
        existing: await bound(op.registry)(() => session.client(op.registry).manifestDigest(op.repository, op.tag))
    })));
    return heads.filter((h) => h.existing !== undefined);
}
/** Splits the tag operations: to write, already in place; throws (before any write) on an overwrite. */
async function decideTags(ops, plan, session) {
    const existing = new Map((await existingImmutableTags(ops, plan, session)).map(e => [e.op, e.existing]));
    const d = tagDecisions(ops, existing);
    if (d.refuse)
        throw new Error(d.refuse);
    return { write: d.write, unchanged: d.unchanged };
}

;// CONCATENATED MODULE: ./src/registry/index-manifest.ts

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/**
 * The index annotations of a merged image: the `index:` ones, or, when the tag engine produced
 * none (metadata-action's default level is manifest), the manifest ones, so the index still says
 * what it is.
 */
function indexAnnotations(annotations) {
    const pick = (level) => annotations
        .filter(a => a.startsWith(`${level}:`))
        .map(a => a.slice(level.length + 1))
        .map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
    const index = pick('index');
    return Object.fromEntries(index.length > 0 ? index : pick('manifest'));
}
/**
 * The OCI index of a distributed build (pure). Platforms must be distinct: two build runs for the
 * same platform would make the index ambiguous. Attestation manifests of the sources follow the
 * platform manifests, verbatim (annotations included), once each; one whose reference digest is
 * no platform of this index would dangle and is refused.
 */
function buildIndex(platforms, annotations, attestations = []) {
    const seen = new Map();
    for (const p of platforms) {
        const other = seen.get(p.platform);
        if (other && other !== p.digest) {
            throw new Error(`Input "digests": ${p.platform} is given twice (${other} and ${p.digest})`);
        }
        seen.set(p.platform, p.digest);
    }
    const unique = platforms.filter((p, i) => platforms.findIndex(q => q.digest === p.digest) === i);
    const manifests = unique.map(p => {
        const [os, architecture, variant] = p.platform.split('/');
        return {
            mediaType: p.mediaType,
            digest: p.digest,
            size: p.manifestSize,
            platform: { architecture, os, ...(variant ? { variant } : {}) }
        };
    });
    const kept = new Set(unique.map(p => p.digest));
    const extra = attestations.filter((a, i) => attestations.findIndex(b => b.digest === a.digest) === i);
    for (const a of extra) {
        const ref = a.annotations?.[REFERENCE_DIGEST] ?? '';
        if (!kept.has(ref)) {
            throw new Error(`attestation manifest ${a.digest} describes ${ref || 'no image'}, which is not a platform of the merged index`);
        }
    }
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...manifests, ...extra] };
    if (Object.keys(annotations).length > 0)
        index.annotations = annotations;
    return Buffer.from(JSON.stringify(index));
}

;// CONCATENATED MODULE: ./src/publish/artifacts.ts
// The artifact side of a distributed build: a `mode: build` run records its digest, a `mode: merge`
// run without `digests` collects them. Talks to the Actions artifact service (v4, twirp on
// ACTIONS_RESULTS_URL) through @actions/artifact; act's `--artifact-server-path` speaks the same.





const RECORD = 'digest.json';
/** @actions/artifact is large (half the bundle): loaded only by the runs that hand digests over. */
async function artifactClient() {
    const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(351), __webpack_require__.e(838), __webpack_require__.e(645)]).then(__webpack_require__.bind(__webpack_require__, 9645));
    return new DefaultArtifactClient();
}
/** Uploads one small JSON record; one day is enough, the merge job of the same run reads it. */
async function recordDigest(name, record) {
    const dir = external_node_fs_.mkdtempSync(external_node_path_.join((0,runner/* runnerTemp */.X)(), 'image-publish-digest-'));
    try {
        external_node_fs_.writeFileSync(external_node_path_.join(dir, RECORD), JSON.stringify(record));
        await (await artifactClient()).uploadArtifact(name, [external_node_path_.join(dir, RECORD)], dir, { retentionDays: 1 });
        log/* info */.pq(`recorded ${record.digest} (${record.platforms.join(', ')}) as artifact ${name}`);
    }
    finally {
        external_node_fs_.rmSync(dir, { recursive: true, force: true });
    }
}
/** Every digest record of this workflow run for these images (newest attempt per platform set). */
async function collectDigests(key) {
    const client = await artifactClient();
    const { artifacts } = await client.listArtifacts();
    const names = pickArtifacts(artifacts.map(a => a.name), key);
    const out = [];
    for (const name of names) {
        const artifact = artifacts.find(a => a.name === name);
        if (!artifact)
            continue;
        const dir = external_node_fs_.mkdtempSync(external_node_path_.join((0,runner/* runnerTemp */.X)(), 'image-publish-digest-'));
        try {
            const res = await client.downloadArtifact(artifact.id, { path: dir });
            const file = external_node_path_.join(res.downloadPath ?? dir, RECORD);
            out.push({ name, record: parseDigestRecord(external_node_fs_.readFileSync(file, 'utf8'), name) });
        }
        finally {
            external_node_fs_.rmSync(dir, { recursive: true, force: true });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/publish/merge.ts







/** The sources of the merge: the `digests` input, or the artifacts the build runs of this workflow run recorded. */
async function mergeSources(stage) {
    const { plan } = stage;
    const merge = plan.merge ?? { sources: [] };
    if (!merge.collect)
        return merge.sources;
    const found = await collectDigests(merge.collect);
    if (found.length === 0) {
        throw new Error(`Input "digests" is empty and this workflow run holds no digest artifact of these images (image-publish-digests-*-${merge.collect}-*): run the mode: build jobs with the same "images" before this job (needs: build), or pass their digest outputs in "digests"`);
    }
    const first = plan.images[0].name;
    return found.map(({ name, record }) => {
        log/* info */.pq(`artifact ${name}: ${record.digest} (${record.platforms.join(', ')})`);
        const image = plan.images.find(i => record.images.some(r => canonicalName(r) === canonicalName(i.name)))?.name ?? first;
        return { image, digest: record.digest };
    });
}
/**
 * mode: merge — one index from the platform images the build runs pushed, PUT by digest to every
 * image. As `docker buildx imagetools create`: every attestation manifest of every source comes
 * along, its `vnd.docker.reference.digest` still naming its platform manifest.
 */
async function mergeIndex(stage) {
    const { plan, session } = stage;
    return stage.phase('Merge the platform images into an index', async () => {
        const sources = await mergeSources(stage);
        const facts = [];
        const attestations = [];
        for (const s of sources) {
            const image = plan.images.find(i => i.name === s.image) ?? plan.images[0];
            const client = session.client(image.registry);
            // A build run may have pushed an index (buildx attestations): its platform images are taken.
            const pushed = await readPushedImage(client, image.repository, s.digest);
            facts.push(...pushed.platforms);
            if (pushed.index) {
                const m = await client.getManifest(image.repository, s.digest);
                const body = JSON.parse(m.body.toString('utf8'));
                if (isIndex(m.mediaType, body))
                    attestations.push(...attestationsOfIndex(body));
            }
            log/* info */.pq(`${s.digest}: ${pushed.platforms.map(p => `${p.platform} ${p.digest}`).join(', ')}`);
        }
        const body = buildIndex(facts, indexAnnotations(plan.meta.annotations), attestations);
        const digest = client_digestOf(body);
        const needed = [
            ...facts.map(f => ({ what: `${f.platform} image`, digest: f.digest })),
            ...attestations.map(a => ({ what: 'attestation manifest', digest: a.digest }))
        ];
        for (const image of plan.images) {
            const client = session.client(image.registry);
            for (const n of needed) {
                if (!(await client.manifestDigest(image.repository, n.digest))) {
                    throw new Error(`${image.name} has no ${n.what} ${n.digest}: every build run must push to every image of the merge run`);
                }
            }
            await client.putManifest(image.repository, digest, body, OCI_INDEX);
            log/* info */.pq(`${image.name}@${digest}: index of ${facts.map(f => f.platform).join(', ')}${attestations.length ? ` + ${attestations.length} attestation manifest(s)` : ''} (no tag yet)`);
        }
        stage.progress.result.metadata = JSON.stringify({
            'containerimage.descriptor': { mediaType: OCI_INDEX, digest, size: body.length },
            'containerimage.digest': digest
        });
        return digest;
    });
}

;// CONCATENATED MODULE: ./src/publish/policy-stage.ts



/** The policy rules on what the registry holds (user, labels, size, expiry per platform). Throws on a violation. */
async function policyChecks(stage, platforms) {
    const bindings = stage.plan.policy?.bindings ?? [];
    if (bindings.length === 0)
        return;
    await stage.phase('Policy checks', async () => {
        // A named USER is looked up in the image's own /etc/passwd only when a rule is about the user.
        const first = stage.plan.mode === 'promote' && stage.plan.source ? stage.plan.source : stage.plan.images[0];
        if (bindings.some(b => b.rule.require.nonRoot || b.rule.require.uids)) {
            platforms = await resolveUsers(stage.session.client(first.registry), first.repository, platforms);
            for (const p of platforms.filter(x => x.resolvedUser)) {
                log/* info */.pq(`${p.platform}: user "${p.user}" → ${p.resolvedUser?.source ?? ''}`);
            }
        }
        const violations = bindings.flatMap(b => checkImage({ name: b.env, rule: b.rule }, b.image, platforms));
        if (violations.length > 0) {
            throw new Error(`the policy refuses the image, nothing was tagged:\n- ${violations.join('\n- ')}`);
        }
        for (const b of bindings) {
            const line = `${b.image}: policy "${b.env}" checks passed on ${platforms.map(p => p.platform).join(', ')}`;
            stage.progress.result.checks?.push(line);
            log/* info */.pq(line);
        }
    });
}

;// CONCATENATED MODULE: ./src/registry/referrers.ts
// Where signatures and attestations of an image live when the registry has no referrers API:
// the OCI 1.1 referrers tag schema (`sha256-<hex>` → an index listing the referrers) and cosign's
// older `sha256-<hex>.sig|.att|.sbom` tags. Pure: names and index bytes, no I/O.


/** Suffixes of the tags cosign wrote before it used referrers (still its default in v2). */
const COSIGN_TAG_SUFFIXES = ['.sig', '.att', '.sbom'];
function splitDigest(digest) {
    if (!isDigest(digest))
        throw new Error(`"${digest}" is not a digest`);
    const colon = digest.indexOf(':');
    return [digest.slice(0, colon), digest.slice(colon + 1)];
}
/** The referrers tag schema's tag: `<alg>-<hex>`, truncated as the spec says so it is a valid tag. */
function fallbackTag(digest) {
    const [alg, hex] = splitDigest(digest);
    return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`;
}
/** cosign's legacy tags for a digest; a sha512 digest gives none (the name would be too long). */
function cosignLegacyTags(digest) {
    const [alg, hex] = splitDigest(digest);
    return COSIGN_TAG_SUFFIXES.map(s => `${alg}-${hex}${s}`).filter(isValidTag);
}
/** The descriptors a referrers index lists; [] when the bytes are not an index. */
function referrersOfIndex(body) {
    let parsed;
    try {
        parsed = JSON.parse(body.toString('utf8'));
    }
    catch {
        return [];
    }
    if (!Array.isArray(parsed.manifests))
        return [];
    return parsed.manifests.filter((d) => typeof d === 'object' && d !== null && typeof d.digest === 'string' && isDigest(d.digest));
}
/** A fresh tag-schema index listing `descriptors` (for a target that lacks the API). */
function referrersIndex(descriptors) {
    return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: descriptors }));
}
/**
 * The target's own tag-schema index with the missing `add` entries appended, or undefined when it
 * already lists them all. Entries are never dropped: the tag is shared by every client that signs
 * or attests the image in that repository, and a copy must not erase their work.
 */
function mergeReferrersIndex(existing, add) {
    const parsed = JSON.parse(existing.toString('utf8'));
    const current = Array.isArray(parsed.manifests) ? parsed.manifests : [];
    const have = new Set(current.map(d => d.digest));
    const missing = [];
    for (const d of add) {
        if (have.has(d.digest))
            continue;
        have.add(d.digest);
        missing.push(d);
    }
    if (missing.length === 0)
        return undefined;
    return Buffer.from(JSON.stringify({
        ...parsed,
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [...current, ...missing]
    }));
}

;// CONCATENATED MODULE: ./src/registry/copy.ts
// Promotion: copy an image BY DIGEST from one repository to another (same or another registry),
// with what refers to it (signatures, attestations, SBOMs), so the target serves the very digest
// that was tested and signed. Nothing is rebuilt and no manifest is re-encoded: the exact bytes are
// PUT by digest, children before parents (a registry rejects an index whose children it lacks).
//
// Blobs: skipped when the target has them, mounted when both repositories live in one registry
// (no bytes move), else streamed from the source registry into the target's upload (the digest
// checked as the bytes pass; a retry resumes with a Range request; the download is read ahead of
// the upload so both run at once). The walk is concurrent: children, blobs and referrers a few at
// a time (limit.ts), each manifest PUT only once its children are in place; memory does not grow
// with the layer size.





/**
 * The source registry's blob as an upload source: reopened at an offset when a retry resumes, and
 * read ahead of the upload (blob-source.ts readAhead) so download and upload overlap.
 */
function registryBlobSource(end, d) {
    return {
        size: d.size,
        origin: `${end.client.registry}/${end.repository}`,
        open: async (offset) => readAhead((await end.client.openBlob(end.repository, d.digest, offset)).body)
    };
}
/** Layers a registry is not expected to hold: they are fetched from their `urls`. */
const FOREIGN_LAYER = /(foreign|nondistributable)/;
/** The child manifests (of an index) and the blobs (of an image manifest) a manifest needs. */
function manifestChildren(body) {
    const parsed = JSON.parse(body.toString('utf8'));
    if (parsed.schemaVersion === 1)
        throw new Error('Docker schema 1 manifests cannot be copied by digest');
    const check = (d, where) => {
        const desc = d;
        if (typeof desc !== 'object' || desc === null || typeof desc.digest !== 'string' || !isDigest(desc.digest)) {
            throw new Error(`manifest ${where} has no valid digest`);
        }
        return desc;
    };
    if (Array.isArray(parsed.manifests)) {
        return { manifests: parsed.manifests.map((d, i) => check(d, `manifests[${i}]`)), blobs: [] };
    }
    const blobs = [];
    const seen = new Set();
    const add = (d) => {
        if (seen.has(d.digest))
            return;
        if (d.urls?.length && FOREIGN_LAYER.test(d.mediaType ?? ''))
            return;
        seen.add(d.digest);
        blobs.push(d);
    };
    if (parsed.config !== undefined)
        add(check(parsed.config, 'config'));
    if (Array.isArray(parsed.layers))
        parsed.layers.forEach((d, i) => add(check(d, `layers[${i}]`)));
    return { manifests: [], blobs };
}
function sameRegistry(a, b) {
    return registryApiHost(a.registry).toLowerCase() === registryApiHost(b.registry).toLowerCase();
}
/** Waits for every promise (no request is left running behind an error), then throws the first failure. */
async function settle(work) {
    const results = await Promise.allSettled(work);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
}
class Copier {
    src;
    dst;
    withReferrers;
    stats = {
        manifests: 0,
        blobsMounted: 0,
        blobsUploaded: 0,
        blobsExisting: 0,
        bytesUploaded: 0,
        tagsCopied: [],
        referrers: 0
    };
    /**
     * One promise per manifest digest: settled once the target has it (PUT, or found there), with
     * the digests of its child manifests. A parent waits on its children's; that graph is acyclic
     * (a manifest names its children by digest), so the walk can go wide without deadlocking.
     */
    placed = new Map();
    /** Digests whose children and referrers are walked: referrers may lead back, so never awaited twice. */
    walked = new Set();
    blobsDone = new Map();
    mount;
    log;
    blobLimit;
    requestLimit;
    /** The first failure: no new request starts after it (those running finish, see settle). */
    failure;
    sourceTags;
    /**
     * Decided by the first answer (clients decide once per registry too): a registry with the API
     * answers every subject, and an empty answer is no reason to stop asking.
     */
    sourceHasApi;
    targetHasApi;
    constructor(src, dst, withReferrers, log, blobConcurrency, requestConcurrency) {
        this.src = src;
        this.dst = dst;
        this.withReferrers = withReferrers;
        this.mount = sameRegistry(src.client, dst.client) && src.repository !== dst.repository;
        this.log = log ?? (() => undefined);
        this.blobLimit = limit(blobConcurrency);
        this.requestLimit = limit(requestConcurrency);
    }
    /** The manifest, its children and what refers to each, concurrently; see `placed` and `walked`. */
    async image(digest, asReferrer) {
        if (this.walked.has(digest))
            return;
        this.walked.add(digest);
        // Referrers are looked up while the manifest is placed, not after: they need only the
        // subject's digest (a registry takes a referrer before its subject), and finding them costs
        // a tag listing and a few requests per subject.
        await settle([
            // Walked even when the target has the parent: a child may have gained a signature since.
            this.place(digest, asReferrer).then(children => settle(children.map(child => this.image(child, false)))),
            this.withReferrers ? this.referrersOf(digest) : undefined
        ]);
    }
    /** A manifest request (HEAD, GET, PUT) under the copy's bound; none starts after a failure. */
    req(fn) {
        return this.requestLimit(async () => {
            if (this.failure !== undefined)
                throw this.failure;
            try {
                return await fn();
            }
            catch (err) {
                this.failure ??= err;
                throw err;
            }
        });
    }
    place(digest, asReferrer) {
        let done = this.placed.get(digest);
        if (!done) {
            done = this.put(digest, asReferrer);
            this.placed.set(digest, done);
        }
        return done;
    }
    /** Children (placed first: a registry rejects an index whose children it lacks), blobs, then the manifest. */
    async put(digest, asReferrer) {
        const manifest = await this.req(() => this.src.client.getManifest(this.src.repository, digest));
        const { manifests, blobs } = manifestChildren(manifest.body);
        const children = manifests.map(c => c.digest);
        let present = false;
        await settle([
            this.req(() => this.dst.client.manifestDigest(this.dst.repository, digest)).then(d => {
                present = d === digest;
            }),
            ...children.map(c => this.place(c, false))
        ]);
        if (present)
            return children;
        await settle(blobs.map(b => this.blob(b)));
        await this.req(() => this.dst.client.putManifest(this.dst.repository, digest, manifest.body, manifest.mediaType));
        this.stats.manifests++;
        if (asReferrer)
            this.stats.referrers++;
        this.log(`copy: manifest ${digest} (${manifest.mediaType})`);
        return children;
    }
    /** One transfer per digest, however many manifests share the blob. */
    blob(d) {
        let done = this.blobsDone.get(d.digest);
        if (!done) {
            done = this.blobLimit(async () => {
                if (this.failure !== undefined)
                    throw this.failure;
                try {
                    await this.transfer(d);
                }
                catch (err) {
                    this.failure ??= err;
                    throw err;
                }
            });
            this.blobsDone.set(d.digest, done);
        }
        return done;
    }
    async transfer(d) {
        const { client, repository } = this.dst;
        if (await client.blobExists(repository, d.digest)) {
            this.stats.blobsExisting++;
            return;
        }
        if (this.mount && (await client.mountBlob(repository, d.digest, this.src.repository))) {
            this.stats.blobsMounted++;
            this.log(`copy: mounted blob ${d.digest} from ${this.src.repository}`);
            return;
        }
        if ((await client.uploadBlob(repository, d.digest, registryBlobSource(this.src, d))) === 'exists') {
            this.stats.blobsExisting++;
            return;
        }
        this.stats.blobsUploaded++;
        this.stats.bytesUploaded += d.size;
        this.log(`copy: uploaded blob ${d.digest} (${d.size} B)`);
    }
    async referrersOf(subject) {
        const ask = this.sourceHasApi !== false;
        const [tags, api] = await Promise.all([
            this.tagsOfSource(),
            ask ? this.req(() => this.src.client.referrers(this.src.repository, subject)) : undefined
        ]);
        if (ask)
            this.sourceHasApi ??= api !== undefined;
        const found = [...(api ?? [])];
        // Read even beside the API: clients that pushed before the registry had it left the tag.
        const schemaTag = fallbackTag(subject);
        let tagIndex;
        if (tags.has(schemaTag)) {
            tagIndex = await this.req(() => this.src.client.getManifest(this.src.repository, schemaTag));
            const known = new Set(found.map(d => d.digest));
            found.push(...referrersOfIndex(tagIndex.body).filter(d => !known.has(d.digest)));
        }
        const legacy = cosignLegacyTags(subject).filter(tag => tags.has(tag));
        await settle([
            ...found.map(d => this.image(d.digest, true)),
            ...legacy.map(async (tag) => {
                const digest = await this.req(() => this.src.client.manifestDigest(this.src.repository, tag));
                if (!digest)
                    return; // deleted since the listing
                await this.image(digest, true);
                await this.place(digest, true); // walked elsewhere: image() returned before it was there
                await this.ensureTag(tag, digest);
            })
        ]);
        if (found.length === 0)
            return;
        // A target with the API lists the copied referrers itself (they name their subject); the
        // tag-schema index would only be a second, drifting copy of that list.
        if (await this.targetSupportsApi(subject))
            return;
        // The index names them: each must be in the target first.
        await settle(found.map(d => this.place(d.digest, true)));
        if (tagIndex) {
            await this.ensureSchemaTag(schemaTag, tagIndex, found);
        }
        else {
            const body = referrersIndex(found);
            await this.ensureSchemaTag(schemaTag, { digest: client_digestOf(body), mediaType: MEDIA_TYPES.ociIndex, body }, found);
        }
    }
    /** Same bytes as the source's tag when the target has none, so both tags share one digest. */
    async ensureSchemaTag(tag, wanted, entries) {
        const { client, repository } = this.dst;
        const current = await this.req(() => client.manifestDigest(repository, tag));
        if (current === wanted.digest)
            return;
        let body = wanted.body;
        if (current !== undefined) {
            const merged = mergeReferrersIndex((await this.req(() => client.getManifest(repository, tag))).body, entries);
            if (!merged)
                return;
            body = merged;
            this.log(`copy: ${repository}:${tag} had referrers of its own; merged, none dropped`);
        }
        await this.req(() => client.putManifest(repository, tag, body, MEDIA_TYPES.ociIndex));
        this.stats.tagsCopied.push(tag);
    }
    /**
     * cosign's legacy tags hold one manifest, not a list: the source's wins (promotion makes the
     * target match the source), and a replaced target digest is logged.
     */
    async ensureTag(tag, digest) {
        const { client, repository } = this.dst;
        const current = await this.req(() => client.manifestDigest(repository, tag));
        if (current === digest)
            return;
        if (current !== undefined)
            this.log(`copy: ${repository}:${tag} pointed at ${current}; now ${digest}`);
        const m = await this.req(() => client.getManifest(repository, digest));
        await this.req(() => client.putManifest(repository, tag, m.body, m.mediaType));
        this.stats.tagsCopied.push(tag);
    }
    /** Asked once per copy (the first subject with referrers); the answer holds for the registry. */
    targetSupportsApi(subject) {
        this.targetHasApi ??= this.req(() => this.dst.client.referrers(this.dst.repository, subject)).then(r => r !== undefined);
        return this.targetHasApi;
    }
    tagsOfSource() {
        this.sourceTags ??= this.req(() => this.src.client.listTags(this.src.repository)).then(t => new Set(t));
        return this.sourceTags;
    }
}
/** Copies the index or manifest `digest` (and, by default, its referrers) from `src` to `dst`. */
async function copyImage(src, dst, digest, opts = {}) {
    if (!isDigest(digest))
        throw new Error(`copyImage: "${digest}" is not a digest`);
    const copier = new Copier(src, dst, opts.referrers ?? true, opts.log, opts.blobConcurrency ?? DEFAULT_BLOB_CONCURRENCY, opts.requestConcurrency ?? DEFAULT_REQUEST_CONCURRENCY);
    await copier.image(digest, false);
    // The walk is concurrent: sorted, the list does not depend on which answer came first.
    copier.stats.tagsCopied.sort();
    return copier.stats;
}

;// CONCATENATED MODULE: ./src/publish/stage.ts
// What the stages share: the run's state as it goes, and the one way a phase is timed and grouped.

/** Every phase is a log group whose duration lands in the summary. */
function phaser(progress) {
    return async (name, fn) => {
        const start = Date.now();
        try {
            return await (0,commands/* group */.Os)(name, fn);
        }
        finally {
            progress.result.durations[name] = (Date.now() - start) / 1000;
        }
    };
}
/** A tool the prepare phase resolved; missing means a phase ran that the plan did not announce. */
function required(tool, name) {
    if (!tool)
        throw new Error(`internal: ${name} was not prepared for this run`);
    return tool;
}

;// CONCATENATED MODULE: ./src/publish/scan-stage.ts



/** The image the scans read (the first image's registry: same digest everywhere). */
const scannedImage = (stage) => stage.plan.mode === 'promote' && stage.plan.source ? stage.plan.source : stage.plan.images[0];
/** Whether trivy's `--insecure` applies to this run's DB fetch and scans. */
const scanInsecure = (stage, local) => local
    ? stage.plan.scan.dbRepositories.some(r => stage.plan.build.insecureRegistries.includes(r.split('/')[0]))
    : stage.session.insecure(scannedImage(stage).registry);
/**
 * Starts the vulnerability DB fetch when this run will scan or write SBOMs, to run beside the
 * build (or the source checks of a promotion); scanStage awaits it.
 */
function startDbPrefetch(stage, local) {
    const { plan } = stage;
    if (!stage.tools.trivy || plan.mode === 'build' || (!plan.supply.scan && plan.supply.sbom === 'none'))
        return;
    return prefetchTrivyDb({
        trivy: stage.tools.trivy,
        cacheDir: plan.scan.cacheDir,
        dbRepositories: plan.scan.dbRepositories,
        insecure: scanInsecure(stage, local),
        env: stage.session.env
    });
}
/** Scan + SBOM of every platform manifest (from the first image's registry: same digest everywhere). */
async function scanStage(stage, platforms, label) {
    const { plan, session } = stage;
    if (!plan.supply.scan && plan.supply.sbom === 'none')
        return undefined;
    const first = scannedImage(stage);
    const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM' : 'SBOM', async () => scanAndSbom({
        trivy: required(stage.tools.trivy, 'trivy'),
        scans: platforms.map(p => ({ platform: p.platform, ref: `${first.name}@${p.digest}` })),
        outDir: reportDir(plan, label),
        cacheDir: plan.scan.cacheDir,
        dbRepositories: plan.scan.dbRepositories,
        insecure: scanInsecure(stage, false),
        sbomFormat: plan.supply.sbom,
        env: session.env,
        gate: stage.gate,
        now: plan.now,
        db: stage.trivyDb
    }));
    stage.progress.result.scan = outcome;
    const verdict = outcome.verdict;
    if (verdict && !verdict.pass) {
        throw new Error(`the scan gate failed, nothing was tagged:\n- ${verdict.violations.join('\n- ')}`);
    }
    return outcome;
}

;// CONCATENATED MODULE: ./src/publish/sign-stage.ts





/** Sign every image by digest, attest each platform's SBOM, verify; or only verify (re-run, promotion). */
async function signStage(stage, digest, pushed, scan, verifyOnly) {
    const { plan, session, signing } = stage;
    const { platforms } = pushed;
    if (!signing)
        return;
    const cosign = required(stage.tools.cosign, 'cosign');
    const refs = plan.images.map(i => `${i.name}@${digest}`);
    const platformRefs = plan.images.flatMap(i => platforms.map(p => `${i.name}@${p.digest}`));
    if (verifyOnly) {
        // Nothing is signed by this run: `signed` lists what was verified, with the same key/identity.
        const verified = signing.recursive ? [...refs, ...platformRefs] : refs;
        await stage.phase('Verify signatures', async () => verifyDigests(cosign, signing, verified, session.env));
        stage.progress.result.sign = { signed: verified, attested: [], verifyCommand: verifyCommand(signing, refs[0]) };
        return;
    }
    const sboms = scan?.sboms ?? {};
    stage.progress.result.sign = await stage.phase('Sign, attest and verify', async () => signAndVerify({
        cosign,
        config: signing,
        refs,
        attestations: plan.images.flatMap(i => platforms.filter(p => sboms[p.platform]).map(p => ({ ref: `${i.name}@${p.digest}`, sbom: sboms[p.platform] }))),
        sbomType: plan.supply.sbom === 'cyclonedx' ? 'cyclonedx' : 'spdxjson',
        platformRefs,
        // An index listing another index: cosign's own recursion goes deeper than one level.
        listed: pushed.listed.some(l => isIndex(l.mediaType, {}))
            ? undefined
            : plan.images.flatMap(i => pushed.listed.map(l => `${i.name}@${l.digest}`)),
        env: session.env
    }));
}

;// CONCATENATED MODULE: ./src/publish/tag-stage.ts





/**
 * `flavor: latest=highest`: the one decision the plan cannot make alone, since it needs the tags the
 * registry holds. Read right before tagging (not at plan time) so a release that finished meanwhile
 * counts. Returns the ops without the `latest` tags this release may not take.
 */
async function resolveLatest(ops, images, session) {
    const drop = new Set();
    for (const image of images) {
        const guard = image.latestGuard;
        if (!guard)
            continue;
        const existing = await session.client(image.registry).listTags(image.repository);
        const d = latestDecision(guard, existing);
        if (d.keep) {
            log/* info */.pq(d.highest
                ? log/* line */.n8 `${image.name}:${guard.tag} moves to ${guard.version} (latest=highest: the highest release so far is ${d.highestTag})`
                : log/* line */.n8 `${image.name}:${guard.tag} → ${guard.version} (latest=highest: no earlier release in the repository)`);
            continue;
        }
        drop.add(`${image.name}\n${guard.tag}`);
        log/* info */.pq(log/* line */.n8 `${image.name}:${guard.tag} stays where it is: ${guard.version} is lower than ${d.highestTag} already in the repository (latest=highest)`);
    }
    return ops.filter(op => op.platform !== undefined || !drop.has(`${op.image}\n${op.tag}`));
}
/**
 * Tags last: immutable tags already in place are left alone, an overwrite is refused before any
 * write; the writes run concurrently (tag-writes.ts: children before indexes).
 */
async function tagStage(stage, digest, platforms) {
    const { plan, session } = stage;
    const planned = tagOps(plan.images, digest, platforms.map(p => ({ platform: p.platform, digest: p.digest })));
    await stage.phase('Tag', async () => {
        const ops = await resolveLatest(planned, plan.images, session);
        const { write, unchanged } = await decideTags(ops, plan, session);
        for (const op of unchanged)
            log/* info */.pq(`${op.image}:${op.tag} already → ${op.digest} (immutable, unchanged)`);
        const landed = new Set();
        try {
            await writeTags(write, session, op => landed.add(op));
        }
        finally {
            // In the planned order, whatever order the concurrent writes finished in.
            for (const op of write.filter(o => landed.has(o))) {
                log/* info */.pq(`${op.image}:${op.tag} → ${op.digest}${op.platform ? ` (${op.platform})` : ''}`);
            }
        }
        stage.progress.result.tags = write;
        stage.progress.result.unchanged = unchanged;
    });
}

;// CONCATENATED MODULE: ./src/publish/promote.ts













/**
 * mode: promote — an existing image, by digest, to this run's images under this run's tags: verify
 * the source signature and scan gate first, refuse immutable overwrites, copy with signatures and
 * attestations (blob mounts within a registry), optionally re-sign, then tag. Nothing is built.
 * `pushAccess` is the push check started beside this: awaited before the first write.
 */
async function promote(stage, pushAccess) {
    const { plan, session, signing, progress } = stage;
    const src = plan.source;
    if (!src)
        throw new Error('Input "source" is required with mode: promote');
    const srcClient = session.client(src.registry);
    const digest = await stage.phase('Resolve the source', async () => {
        const d = src.digest ?? (await srcClient.manifestDigest(src.repository, src.tag ?? 'latest'));
        if (!d)
            throw new Error(`Input "source": ${src.ref} does not exist`);
        log/* info */.pq(`${src.ref} → ${d}`);
        return d;
    });
    progress.result.digest = digest;
    const pushed = await readPushedImage(srcClient, src.repository, digest);
    progress.result.registries = { [src.name]: digest };
    progress.result.platforms = pushed.platforms.map(p => ({
        platform: p.platform,
        digest: p.digest,
        size: p.compressedSize,
        layers: p.layers
    }));
    const result = { source: src.ref, digest, targets: {}, sourceVerified: false };
    progress.result.promoted = result;
    // The policy decides (plan.promotion): a source signed at build is verified here; an entry that
    // signs at promotion takes an unsigned source and the sign stage below signs the target.
    if (signing && plan.promotion)
        log/* info */.pq(plan.promotion.reason);
    if (signing && plan.promotion?.verifySource) {
        const cosign = required(stage.tools.cosign, 'cosign');
        await stage.phase('Verify the source signature', async () => {
            try {
                await verifyDigests(cosign, signing, [`${src.name}@${digest}`], session.env);
            }
            catch (err) {
                throw new Error(`cannot promote ${src.name}@${digest}: its signature does not verify (${(0,errors/* errorText */.k)(err)})`);
            }
        });
        result.sourceVerified = true;
    }
    const scan = await scanStage(stage, pushed.platforms, digest.slice(7, 19)).catch((err) => {
        throw new Error(`cannot promote ${src.name}@${digest}: ${(0,errors/* errorText */.k)(err)}`);
    });
    await policyChecks(stage, pushed.platforms);
    const ops = tagOps(plan.images, digest, pushed.platforms.map(p => ({ platform: p.platform, digest: p.digest })));
    await pushAccess();
    const existing = await stage.phase('Immutable tags', async () => existingImmutableTags(ops, plan, session));
    const refusal = promotionRefusal(existing);
    if (refusal)
        throw new Error(refusal);
    const rerun = ops.length > 0 && existing.length === ops.length;
    progress.result.rerun = rerun;
    if (!rerun) {
        await stage.phase('Copy by digest', async () => {
            // Targets at once (each copy bounds its own requests and blobs; limit.ts bounds the blob
            // transfers of the whole process); every copy finishes before the first failure is thrown.
            const targets = plan.images.filter(image => image.canonical !== src.name);
            const copies = await Promise.allSettled(targets.map(image => copyImage({ client: srcClient, repository: src.repository }, { client: session.client(image.registry), repository: image.repository }, digest, { log: m => log/* info */.pq(m) })));
            targets.forEach((image, i) => {
                const copy = copies[i];
                if (copy.status !== 'fulfilled')
                    return;
                const stats = copy.value;
                result.targets[image.name] = stats;
                log/* info */.pq(`${image.name}@${digest}: ${stats.manifests} manifest(s), ${stats.blobsMounted} blob(s) mounted, ` +
                    `${stats.blobsUploaded} uploaded (${stats.bytesUploaded} bytes), ${stats.blobsExisting} already there, ` +
                    `${stats.tagsCopied.length} signature/attestation tag(s)`);
            });
            const failed = copies.find((c) => c.status === 'rejected');
            if (failed)
                throw failed.reason;
        });
    }
    // Without signing here the signature carried along is verified in each target; either way the
    // target holds a signature that verifies before tagStage writes the first tag.
    await signStage(stage, digest, pushed, scan, rerun || !plan.promotion?.sign);
    await tagStage(stage, digest, pushed.platforms);
}

;// CONCATENATED MODULE: ./src/publish/readback.ts


/** Reads the pushed digest back from every image's registry and checks the platforms. */
async function readBack(stage, digest) {
    const { plan, session } = stage;
    return stage.phase('Read back from the registries', async () => {
        const perRegistry = {};
        // Every registry at once; reported in the order of the images.
        const all = await Promise.all(plan.images.map(image => readPushedImage(session.client(image.registry), image.repository, digest)));
        plan.images.forEach((image, i) => {
            perRegistry[image.name] = all[i].digest;
            log/* info */.pq(`${image.name}@${all[i].digest}: ${all[i].platforms.map(p => p.platform).join(', ')}`);
        });
        const pushed = all[0];
        const got = pushed.platforms.map(p => p.platform).sort();
        const want = [...plan.platforms].sort();
        if (JSON.stringify(got) !== JSON.stringify(want)) {
            throw new Error(`the pushed image holds ${got.join(', ')} but platforms asked ${want.join(', ')}`);
        }
        stage.progress.result.registries = perRegistry;
        stage.progress.result.platforms = pushed.platforms.map(p => ({
            platform: p.platform,
            digest: p.digest,
            size: p.compressedSize,
            layers: p.layers
        }));
        return pushed;
    });
}

;// CONCATENATED MODULE: ./src/github/release-assets.ts



/** The release of a `release` event: its id and upload URL template from the payload. */
function release_assets_releaseOf(ctx) {
    if (ctx.eventName !== 'release')
        return undefined;
    const release = ctx.payload.release;
    if (typeof release?.id !== 'number' || typeof release.upload_url !== 'string')
        return undefined;
    return { id: release.id, uploadUrl: release.upload_url, tag: String(release.tag_name ?? '') };
}
/**
 * Uploads files as assets of the event's release (POST to the payload's upload_url, so GHES and
 * test servers work the same). An asset of the same name is replaced: a re-run must not fail.
 */
async function uploadReleaseAssets(ctx, token, files) {
    const release = release_assets_releaseOf(ctx);
    if (!release)
        throw new Error('Input "release-assets": the event is not a release with an upload_url');
    if (!token)
        throw new Error('Input "release-assets" needs github-token (with contents: write)');
    const octokit = await getOctokit(token, ctx.apiUrl);
    const existing = await octokit.rest.repos.listReleaseAssets({
        owner: ctx.owner,
        repo: ctx.repoName,
        release_id: release.id,
        per_page: 100
    });
    const uploaded = [];
    for (const f of files) {
        const old = existing.data.find(a => a.name === f.name);
        if (old)
            await octokit.rest.repos.deleteReleaseAsset({ owner: ctx.owner, repo: ctx.repoName, asset_id: old.id });
        const data = external_node_fs_.readFileSync(f.file);
        const url = release.uploadUrl.replace(/\{[^}]*\}$/, '');
        const res = await octokit.request({
            method: 'POST',
            url: `${url}?name=${encodeURIComponent(f.name)}`,
            headers: { 'content-type': f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
            data
        });
        uploaded.push(String(res.data.browser_download_url ?? f.name));
    }
    return uploaded;
}
/** Asset names unique per image and platform: sbom-gateway-linux-amd64.spdx.json. */
function assetName(image, file) {
    const repo = image.split('/').pop() ?? image;
    return `${repo}-${external_node_path_.basename(file)}`;
}

;// CONCATENATED MODULE: ./src/publish/release-stage.ts


/** On a release event: the SBOMs, reports and SARIF of this run become assets of that release. */
async function releaseStage(stage) {
    const { plan, secrets, ctx, progress } = stage;
    if (!plan.releaseAssets)
        return;
    if (!release_assets_releaseOf(ctx)) {
        log/* info */.pq('release-assets: not a release event, nothing uploaded');
        return;
    }
    const scan = progress.result.scan;
    if (!scan)
        return;
    const image = plan.images[0].name;
    const files = [...Object.values(scan.sboms), ...Object.values(scan.reports), scan.sarif].map(file => ({
        file,
        name: assetName(image, file)
    }));
    progress.result.assets = await stage.phase('Release assets', async () => uploadReleaseAssets(ctx, secrets.githubToken, files));
}

;// CONCATENATED MODULE: ./src/publish/publish.ts























const PENDING = 'sha256:' + '0'.repeat(64);
const REVISION = 'org.opencontainers.image.revision';
/**
 * Before a build into an immutable registry: tags that exist already either prove a re-run of this
 * very release (nothing to build) or an overwrite, refused before anything is pushed.
 */
async function rerunOf(stage) {
    const { plan, session, ctx } = stage;
    const pre = tagOps(plan.images, PENDING, plan.platforms.map(platform => ({ platform, digest: PENDING })));
    const existing = await stage.phase('Immutable tags', async () => existingImmutableTags(pre, plan, session));
    if (existing.length === 0)
        return undefined;
    const revisionOf = {};
    for (const e of [...new Set(existing.map(x => x.existing))]) {
        const op = existing.find(x => x.existing === e)?.op;
        const image = await readPushedImage(session.client(op.registry), op.repository, e);
        revisionOf[e] = image.platforms[0]?.labels[REVISION] ?? '';
    }
    const decision = rerunDecision(existing, revisionOf, ctx.sha);
    if (decision.refuse)
        throw new Error(decision.refuse);
    if (decision.rerun)
        log/* info */.pq(`${decision.rerun} is already published from commit ${ctx.sha}: nothing to build or push`);
    return decision.rerun;
}
/** After the read-back: policy checks → scan + SBOM → gate → sign + attest → verify → tags → release assets. */
async function gateSignTag(stage, digest, pushed) {
    await policyChecks(stage, pushed.platforms);
    const rerun = stage.progress.result.rerun === true;
    // A re-run of a published release writes nothing: no new scan report, signature or attestation.
    const scan = rerun ? undefined : await scanStage(stage, pushed.platforms, digest.slice(7, 19));
    await signStage(stage, digest, pushed, scan, rerun);
    await tagStage(stage, digest, pushed.platforms);
    await releaseStage(stage);
}
/**
 * push: false — build every platform, optionally scan the local OCI output, and stop: no registry
 * is written, no tag made, nothing signed. The outputs carry the local digest and no tags.
 */
async function localRun(stage) {
    const { plan, progress } = stage;
    const built = await buildLocal(plan, stage.session, stage.phase);
    try {
        progress.result.digest = built.digest;
        progress.result.metadata = built.metadata;
        progress.result.tags = [];
        progress.result.unchanged = [];
        progress.result.registries = {};
        if (plan.supply.scan || plan.supply.sbom !== 'none') {
            const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM (local)' : 'SBOM (local)', async () => scanAndSbom({
                trivy: required(stage.tools.trivy, 'trivy'),
                scans: built.scans,
                sarifName: plan.images[0]?.name,
                outDir: reportDir(plan, built.digest.slice(7, 19)),
                cacheDir: plan.scan.cacheDir,
                dbRepositories: plan.scan.dbRepositories,
                insecure: scanInsecure(stage, true),
                sbomFormat: plan.supply.sbom,
                env: stage.session.env,
                gate: stage.gate,
                now: plan.now,
                db: stage.trivyDb
            }));
            progress.result.scan = outcome;
            if (outcome.verdict && !outcome.verdict.pass) {
                throw new Error(`the scan gate failed (built, not pushed):\n- ${outcome.verdict.violations.join('\n- ')}`);
            }
        }
        log/* info */.pq(`push: false — ${built.digest} built, not pushed; would tag: ${plan.refs.join(', ') || '(no tags)'}`);
        // Release assets need no registry: a release run that does not publish the version again
        // (its tag push did) still attaches this build's SBOMs, reports and SARIF.
        await releaseStage(stage);
    }
    finally {
        built.cleanup();
    }
}
/**
 * Starts the push check of every repository the run writes to; resolves to the line that reports
 * it. The returned promise is marked handled: a run that fails before awaiting it (a source that
 * does not verify) reports its own failure, not this one.
 */
function startPushAccessCheck(plan, session) {
    const targets = [...new Map(plan.images.map(i => [`${i.registry}/${i.repository}`, i])).values()];
    const check = Promise.all(targets.map(i => checkPushAccess(session.client(i.registry), i.repository))).then(() => `push access to ${targets.map(i => i.name).join(', ')}`);
    check.catch(() => undefined);
    return check;
}
/**
 * publish: build → push by digest → read back → policy checks → scan + SBOM → gate → sign + attest
 * → verify → tags. `build` stops after the read-back (a platform job of a distributed build),
 * `merge` starts from the digests of such jobs, `promote` from an existing image. No tag exists
 * before the last phase.
 */
async function publish(plan, secrets, ctx, progress) {
    if (plan.images.length === 0 && plan.push) {
        throw new Error('Input "images" names no enabled image: there is nowhere to push (use dry-run: true to only compute tags)');
    }
    checkFiles(plan, secrets);
    const phase = phaser(progress);
    const session = await phase('Login', async () => openSession(plan, secrets));
    // A wrong password or a missing push right fails in seconds, not after the build: the check
    // runs beside the tool probes and is awaited before the build. A promotion builds nothing: it
    // awaits the check before its first write (see promote.ts). push: false asks no registry
    // anything (a fork pull request has no push right to check).
    const pushAccess = plan.push ? startPushAccessCheck(plan, session) : undefined;
    if (plan.mode === 'publish' || plan.mode === 'build')
        warmEngine(plan, session);
    const prepared = await phase('Tools and settings', async () => prepare(plan, secrets, session));
    const stage = { plan, secrets, ctx, session, ...prepared, phase, progress };
    stage.trivyDb = startDbPrefetch(stage, !pushAccess);
    progress.result.checks = [];
    if (!pushAccess) {
        await localRun(stage);
        return progress.result;
    }
    if (plan.mode === 'promote') {
        await promote(stage, () => phase('Check push access', async () => log/* info */.pq(await pushAccess)));
        return progress.result;
    }
    await phase('Check push access', async () => log/* info */.pq(await pushAccess));
    let digest;
    // The signing key's derivation (started in prepare) proves cosign-password before anything is pushed.
    const keyChecked = async () => {
        if (stage.signing && stage.tools.cosign)
            await keyProven(stage.tools.cosign, stage.signing);
    };
    if (plan.mode === 'merge') {
        await keyChecked();
        digest = await mergeIndex(stage);
    }
    else {
        const rerun = await rerunOf(stage);
        if (rerun) {
            digest = rerun;
            progress.result.rerun = true;
        }
        else {
            const built = await buildAndPush(plan, session, phase, keyChecked);
            digest = built.digest;
            progress.result.metadata = built.metadata;
        }
    }
    progress.result.digest = digest;
    const pushed = await readBack(stage, digest);
    if (plan.mode === 'build') {
        log/* info */.pq(`mode: build — ${digest} pushed by digest, no tag (a merge run assembles and tags the index)`);
        if (plan.refs.length > 0)
            log/* info */.pq(`planned for the merge run, not made here: ${plan.refs.join(', ')}`);
        log/* info */.pq("the labels inside these platform images come from this build job's rules, not the merge job's");
        if (plan.handover) {
            const name = plan.handover.artifact;
            await phase('Record the digest', async () => {
                const record = { digest, platforms: plan.platforms, images: plan.images.map(i => i.name) };
                // The digest output still hands the digest over; a merge run without `digests` would miss it.
                await recordDigest(name, record).catch((err) => log/* warning */.$e(`could not record the digest as artifact ${name} (${(0,errors/* errorText */.k)(err)}): pass it to the merge run in "digests"`));
            });
        }
        progress.result.tags = [];
        progress.result.unchanged = [];
        return progress.result;
    }
    await gateSignTag(stage, digest, pushed);
    return progress.result;
}

;// CONCATENATED MODULE: ./src/report/publish-report.ts


/** Outputs a later step can use, from what the registries hold. */
function publishOutputs(r) {
    const out = {};
    if (r.digest)
        out.digest = r.digest;
    if (r.registries || r.platforms) {
        out.digests = JSON.stringify({
            index: r.digest ?? '',
            registries: r.registries ?? {},
            platforms: Object.fromEntries((r.platforms ?? []).map(p => [p.platform, p.digest]))
        });
    }
    if (r.tags)
        out.images = [...r.tags, ...(r.unchanged ?? [])].map(t => `${t.image}:${t.tag}@${t.digest}`).join('\n');
    const scan = r.scan;
    out['scan-verdict'] = scan?.verdict ? (scan.verdict.pass ? 'pass' : 'fail') : 'skipped';
    if (scan) {
        if (scan.verdict)
            out['scan-counts'] = JSON.stringify(scan.verdict.counts);
        out['scan-reports'] = JSON.stringify(scan.reports);
        out.sarif = scan.sarif;
        out.sboms = JSON.stringify(scan.sboms);
    }
    if (r.sign) {
        out.signed = r.sign.signed.join('\n');
        out['verify-command'] = r.sign.verifyCommand;
    }
    if (r.promoted)
        out.promoted = JSON.stringify(r.promoted);
    const metadata = buildPushMetadata(r);
    if (metadata) {
        out.metadata = JSON.stringify(metadata);
        const config = metadata['containerimage.config.digest'];
        out.imageid = typeof config === 'string' ? config : (r.digest ?? '');
    }
    return out;
}
/**
 * build-push-action's `metadata` for every mode: buildx's metadata file (merge and promote runs,
 * which build nothing, give the digest alone) with `image.name` listing every `name:tag` the run
 * made, as `--tag` would. Per-arch tags are left out (they name another digest); a run that made
 * no tag (mode: build) keeps what the build reported: the repositories pushed by digest.
 */
function buildPushMetadata(r) {
    if (!r.metadata && !r.digest)
        return undefined;
    const meta = r.metadata
        ? JSON.parse(r.metadata)
        : { 'containerimage.digest': r.digest };
    const names = [
        ...new Set([...(r.tags ?? []), ...(r.unchanged ?? [])].filter(t => !t.platform).map(t => `${t.image}:${t.tag}`))
    ];
    if (names.length > 0)
        meta['image.name'] = names.join(',');
    return meta;
}
/** The summary of a real run: image × tag × digest, each platform's weight, each phase's duration. */
function publishSummary(r, failure) {
    const lines = [];
    lines.push(`## image-publish — ${failure ? 'failed' : 'published'}`, '');
    if (failure)
        lines.push(`> **Error:** ${failure.replace(/\n/g, ' ')}`, '');
    if (r.digest)
        lines.push(`**Index digest:** \`${r.digest}\``, '');
    if (r.tags && r.tags.length > 0) {
        lines.push('| Image | Tag | Digest | Platforms |', '|---|---|---|---|');
        const all = (r.platforms ?? []).map(p => p.platform).join(', ');
        for (const t of r.tags) {
            lines.push(`| \`${t.image}\` | \`${t.tag}\` | \`${t.digest.slice(0, 19)}…\` | ${t.platform ?? all} |`);
        }
        lines.push('');
    }
    else if (r.registries) {
        lines.push('_No tag was made visible._', '');
    }
    if (r.unchanged && r.unchanged.length > 0) {
        lines.push(`_Already in place (immutable, unchanged):_ ${r.unchanged.map(t => `\`${t.image}:${t.tag}\``).join(', ')}`, '');
    }
    if (r.rerun)
        lines.push('_This release was published already: nothing was built, copied or signed again._', '');
    if (r.platforms && r.platforms.length > 0) {
        lines.push('| Platform | Manifest | Compressed size | Layers |', '|---|---|---|---|');
        for (const p of r.platforms)
            lines.push(`| ${p.platform} | \`${p.digest.slice(0, 19)}…\` | ${formatBytes(p.size)} | ${p.layers} |`);
        lines.push('');
    }
    lines.push(...supplySummary(r));
    const phases = Object.entries(r.durations ?? {});
    if (phases.length > 0) {
        lines.push('| Phase | Duration |', '|---|---|', ...phases.map(([k, v]) => `| ${k} | ${v.toFixed(1)} s |`), '');
    }
    return lines.join('\n');
}
/** Scan counts, top findings, signatures, policy checks and promotion: what a reviewer looks for. */
function supplySummary(r) {
    const lines = [];
    const scan = r.scan;
    if (scan?.verdict) {
        const v = scan.verdict;
        lines.push(`### Scan gate: ${v.pass ? '✅ pass' : '❌ fail'}`, '');
        lines.push(`| Platform | ${SEVERITIES.join(' | ')} | Ignored |`, `|---|${SEVERITIES.map(() => '---').join('|')}|---|`);
        for (const [platform, counts] of Object.entries(v.counts)) {
            lines.push(`| ${platform} | ${SEVERITIES.map(s => counts[s]).join(' | ')} | ${v.ignored[platform] ?? 0} |`);
        }
        lines.push('');
        if (v.violations.length > 0)
            lines.push(...v.violations.map(x => `- ${x}`), '');
        if (v.top.length > 0) {
            lines.push('| Vulnerability | Package | Installed | Fixed in | Severity | Platform |', '|---|---|---|---|---|---|');
            for (const f of v.top) {
                lines.push(`| ${f.id} | ${f.pkg} | ${f.installed} | ${f.fixed ?? '_no fix_'} | ${f.severity} | ${f.platform} |`);
            }
            lines.push('');
        }
    }
    if (scan) {
        const sboms = Object.entries(scan.sboms);
        if (sboms.length > 0)
            lines.push(`**SBOMs:** ${sboms.map(([p, f]) => `${p} \`${f}\``).join(', ')}`, '');
        lines.push(`**SARIF:** \`${scan.sarif}\``, '');
    }
    if (r.checks && r.checks.length > 0)
        lines.push('### Policy', '', ...r.checks.map(c => `- ✅ ${c}`), '');
    if (r.promoted) {
        const p = r.promoted;
        lines.push(`### Promotion`, '', `\`${p.source}\` → \`${p.digest}\`${p.sourceVerified ? ' (signature verified)' : ''}`, '');
        const targets = Object.entries(p.targets);
        if (targets.length > 0) {
            lines.push('| Target | Blobs mounted | Blobs uploaded | Bytes uploaded | Already there | Signature tags |', '|---|---|---|---|---|---|');
            for (const [image, s] of targets) {
                lines.push(`| \`${image}\` | ${s.blobsMounted} | ${s.blobsUploaded} | ${s.bytesUploaded} | ${s.blobsExisting} | ${s.tagsCopied.length} |`);
            }
            lines.push('');
        }
    }
    if (r.sign) {
        lines.push(`### Signatures`, '', `Signed and verified: ${r.sign.signed.length} digest(s)${r.sign.attested.length ? `, ${r.sign.attested.length} SBOM attestation(s)` : ''}.`, '', '```sh', r.sign.verifyCommand, '```', '');
    }
    if (r.assets && r.assets.length > 0)
        lines.push(`**Release assets:** ${r.assets.length} uploaded`, '');
    return lines;
}

;// CONCATENATED MODULE: ./src/report/summary.ts
const esc = (s) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
/** The job summary of a plan, as Markdown: what would be published, and how. */
function planSummary(plan, warnings) {
    const lines = [];
    lines.push(plan.dryRun ? '## image-publish — dry run (nothing built, nothing pushed)' : '### Plan', '');
    lines.push(`**Version:** \`${plan.meta.version.main ?? '(none)'}\` · **Engine:** ${plan.engine} · **Platforms:** ${plan.platforms.join(', ')}`, '');
    if (plan.images.length === 0) {
        lines.push('_No image is enabled in `images`: nothing would be published._', '');
    }
    else {
        lines.push('| Image | Registry | Tags | Per-arch tags |', '|---|---|---|---|');
        for (const image of plan.images) {
            const arch = Object.entries(image.archTags)
                .map(([p, tags]) => `${p}: ${tags.map(t => `\`${t}\``).join(' ')}`)
                .join('<br>');
            lines.push(`| \`${esc(image.name)}\` | ${esc(image.registry)} | ${image.tags.map(t => `\`${t}\``).join(' ') || '_none_'} | ${arch || '—'} |`);
        }
        lines.push('');
    }
    if (plan.mode === 'build' && plan.images.length > 0) {
        lines.push("_mode: build — these tags are planned for the merge run; this run makes none. The labels inside the platform images come from this build job's rules._", '');
    }
    lines.push('<details><summary>Labels</summary>', '', '```', ...plan.meta.labels, '```', '</details>', '');
    lines.push('<details><summary>Annotations</summary>', '', '```', ...plan.meta.annotations, '```', '</details>', '');
    lines.push('<details><summary>Build args</summary>', '', '```', ...Object.entries(plan.buildArgs).map(([k, v]) => `${k}=${v}`), '```', '</details>', '');
    lines.push('### Steps', '');
    plan.steps.forEach((s, i) => lines.push(`${i + 1}. **${s.phase}** — ${esc(s.what)}`));
    lines.push('');
    if (warnings.length > 0) {
        lines.push('### Warnings', '', ...warnings.map(w => `- ${esc(w)}`), '');
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/run.ts












/** Adds credentials for registries the inputs leave anonymous, as registry-auth entries. */
function withAmbient(inputs, plan, host) {
    const found = plan.registries
        .filter(r => !r.login)
        .map(r => ({ registry: r.registry, ...host.ambientCredentials?.(r.registry) }))
        .filter((c) => 'username' in c && 'password' in c);
    if (found.length === 0)
        return undefined;
    const entries = found.map(c => ({ registry: c.registry, username: c.username, password: c.password }));
    const existing = inputs.registryAuth.trim();
    const registryAuth = existing === '' ? JSON.stringify(entries) : `${existing}\n${entries.map(e => `- ${JSON.stringify(e)}`).join('\n')}`;
    return { ...inputs, registryAuth };
}
async function timed(host, title, fn) {
    const start = Date.now();
    return host.group(title, async () => {
        try {
            return await fn();
        }
        finally {
            log/* info */.pq(`(${((Date.now() - start) / 1000).toFixed(1)}s)`);
        }
    });
}
/** One run of the engine. Deferred failure: outputs and the summary first, then the error is thrown. */
async function runEngine(host) {
    const inputs = host.inputs();
    const env = host.env;
    // SOURCE_DATE_EPOCH pins the whole run's clock (created label, BUILD_DATE and {{date}}), so a
    // rebuild of the same commit yields the same tags and labels.
    const now = createdDate(env, new Date());
    // The plan is sync and pure: what its templates need (handlebars, moment, pep440) is loaded
    // first, while the context waits on the GitHub API. Awaited below; the catch only keeps a
    // failure that comes after a failing context from being an unhandled rejection.
    const modules = loadModulesFor(templateTexts(inputs));
    modules.catch(() => undefined);
    const { ctx, repo, repoPrivate } = await host.context(inputs, now);
    await timed(host, 'Context', async () => {
        log/* info */.pq(`event: ${ctx.eventName}  ref: ${ctx.ref}  sha: ${ctx.sha}`);
        log/* info */.pq(`repository: ${ctx.repository}  default branch: ${repo.defaultBranch || '(unknown)'}`);
        log/* info */.pq(`commit date: ${ctx.commitDate.toISOString()}`);
    });
    await modules;
    const policy = readPolicyFile(inputs.policy, inputs.policyGiven);
    if (policy)
        log/* info */.pq(`policy: ${inputs.policy} (${Object.keys(policy.registries).join(', ')})`);
    const { plan, secrets } = await timed(host, 'Plan', async () => {
        const planOf = (given) => planRun(given, {
            ctx,
            repo,
            now,
            created: now,
            switches: {
                shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
                annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS
            },
            runnerTemp: (0,runner/* runnerTemp */.X)(),
            vars: env,
            actor: ctx.actor,
            repoPrivate
        }, (0,runner/* hostPlatform */.o)(), policy);
        let planned = planOf(inputs);
        const ambient = host.ambientCredentials ? withAmbient(inputs, planned.plan, host) : undefined;
        if (ambient)
            planned = planOf(ambient);
        const p = planned.plan;
        // A dry-run refuses what a real run refuses: the files the run would read are checked too
        // (a real run checks them in publish). Without images a dry-run only computes tags.
        if (p.dryRun && p.images.length > 0)
            checkFiles(p, planned.secrets);
        log/* info */.pq(`version: ${p.meta.version.main ?? '(none)'}`);
        log/* info */.pq(`platforms: ${p.platforms.join(', ')}`);
        p.steps.forEach((s, i) => log/* info */.pq(`${i + 1}. ${s.phase}: ${s.what}`));
        return planned;
    });
    // Read before the build: an automatic build arg that replaces a Dockerfile ARG default is announced.
    const warnings = [...plan.meta.warnings, ...dockerfileArgWarnings(plan)];
    for (const w of warnings)
        host.warning(w);
    if (!plan.meta.version.main)
        host.warning('No Docker image version has been generated. Check tags input.');
    if (plan.meta.tags.length === 0)
        host.warning('No Docker tag has been generated. Check tags input.');
    await host.group('Docker tags', async () => plan.meta.tags.forEach(t => log/* info */.pq(t)));
    await host.group('Docker labels', async () => plan.meta.labels.forEach(l => log/* info */.pq(l)));
    await host.group('Annotations', async () => plan.meta.annotations.forEach(a => log/* info */.pq(a)));
    await host.group('Build args', async () => Object.entries(plan.buildArgs).forEach(([k, v]) => log/* info */.pq(`${k}=${v}`)));
    for (const [name, value] of Object.entries(planOutputs(plan, plan.separators)))
        host.setOutput(name, value);
    const planText = planSummary(plan, warnings);
    if (plan.dryRun) {
        await host.summary(planText);
        return { plan };
    }
    const progress = { result: { durations: {} } };
    let failure;
    try {
        await publish(plan, secrets, ctx, progress);
    }
    catch (err) {
        failure = err;
    }
    for (const [name, value] of Object.entries(publishOutputs(progress.result)))
        host.setOutput(name, value);
    await host.summary(publishSummary(progress.result, failure === undefined ? undefined : (0,errors/* errorText */.k)(failure)) + '\n' + planText);
    if (failure !== undefined)
        throw failure;
    return { plan, result: progress.result };
}

// EXTERNAL MODULE: ./src/post.ts
var post = __webpack_require__(86661);
// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/main.ts











/** The GitHub host: inputs from INPUT_*, the context from the event, outputs and summary to the runner. */
const githubHost = {
    inputs: getInputs,
    async context(inputs, now) {
        const env = process.env;
        const ctx = contextFromEnv(env, readPayload(env));
        const [repo, commitDate, repoPrivate] = await Promise.all([
            loadRepoInfo(ctx, inputs.githubToken),
            loadCommitDate(ctx, inputs.githubToken, now),
            loadRepoPrivate(ctx, inputs.githubToken)
        ]);
        ctx.commitDate = commitDate;
        return { ctx, repo, repoPrivate };
    },
    env: process.env,
    group: async (title, fn) => (0,commands/* group */.Os)(title, fn),
    warning: text => (0,commands/* warning */.$e)(text),
    setOutput(name, value) {
        (0,commands/* setOutput */.uH)(name, value);
        if (outputEnvEnabled(process.env.DOCKER_METADATA_SET_OUTPUT_ENV) && METADATA_OUTPUTS.includes(name)) {
            (0,commands/* exportVariable */.dN)(outputEnvName(name), value);
        }
    },
    async summary(text) {
        if (process.env.GITHUB_STEP_SUMMARY) {
            await (0,commands/* appendSummary */.fe)(text);
        }
        else {
            await (0,commands/* group */.Os)('Summary', async () => log/* info */.pq(text));
        }
    }
};
async function runMain() {
    markMainStarted();
    await runEngine(githubHost);
}
async function main_run() {
    if ((0,state/* isPost */.t)())
        return (0,post/* runPostStep */.U)();
    try {
        await runMain();
    }
    catch (err) {
        (0,commands/* setFailed */.C1)((0,errors/* errorText */.k)(err));
    }
}


/***/ })

};
