// asl-validator 4 ships no type declarations.
declare module 'asl-validator' {
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  function validator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): { isValid: boolean; errors: ValidationError[]; errorsText(separator?: string): string };
  export = validator;
}
