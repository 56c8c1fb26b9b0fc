import { serve } from './ops/process.js'

// `node dist/relay/main.js`: the relay with its settings from the environment.
await serve(process.env)
