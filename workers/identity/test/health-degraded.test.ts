import { degradedHealthSpec } from "../../../test/workerd/health-detail.ts";

// Its own file: D1 is broken while it runs (and mended after), so no other test runs meanwhile.
degradedHealthSpec();
