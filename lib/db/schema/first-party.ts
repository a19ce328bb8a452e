// The first-party modules' tables live next to their code (workers/modules/src/<module>/schema.ts).
export * from "../../../workers/modules/src/schema.ts";
