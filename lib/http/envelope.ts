/** The response envelope every API answer uses (DESIGN.md, "Contracts"). */
interface Envelope<T> {
  success: boolean;
  data: T;
  message: string;
  timestamp: string;
}

export function envelope<T>(success: boolean, data: T, message: string): Envelope<T> {
  return { success, data, message, timestamp: new Date().toISOString() };
}
