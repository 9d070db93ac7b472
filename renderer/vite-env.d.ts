// Vite's client types (asset and worker URL imports) for the page, named here because
// tsconfig.renderer.json loads no ambient types at all (`types: []`): nothing Node-shaped.
/// <reference types="vite/client" />
