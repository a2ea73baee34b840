// Baseline: a bare Fastify hello-world, for the /health requests-per-second ratio.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/health', async () => ({ hello: 'world' }))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) })
