// What one route accepts and answers, for the OpenAPI document.
import type { z } from 'zod';

export interface RouteContract {
  summary: string;
  auth: 'none' | 'case-token' | 'jwt';
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  success: { status: number; schema?: z.ZodType; description: string };
  errors: number[];
}
