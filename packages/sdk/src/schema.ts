/**
 * @module The Steward API as types, generated from the server’s OpenAPI document.
 * Do not edit: change the contract in apps/server/src/http/contract/, then run `npm run api:generate`.
 */
export type paths = {
  '/.well-known/smart-configuration': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** SMART Backend Services discovery: the token endpoint and what it accepts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              capabilities: string[];
              grant_types_supported: string[];
              response_types_supported: string[];
              scopes_supported: string[];
              token_endpoint: string;
              token_endpoint_auth_methods_supported: string[];
              token_endpoint_auth_signing_alg_values_supported: string[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ai/calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Call an AI provider (OpenAI-compatible chat completions) through a registered egress destination: the prompt de-identified unless a BAA is on record; audited without content */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description an egress destination of kind ai */
            destination: string;
            maxTokens?: number;
            messages: {
              content: string;
              /** @enum {unknown} */
              role: 'system' | 'user' | 'assistant';
            }[];
            model: string;
            patientId?: string;
            /** @enum {unknown} */
            purposeOfUse: 'TREAT' | 'ETREAT' | 'HOPERAT' | 'HPAYMT' | 'HSYSADMIN' | 'HCOMPL';
            site: string;
            temperature?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              callId: string;
              deidentified: boolean;
              destination: string;
              finishReason: string | null;
              message: {
                content: string;
                /** @enum {unknown} */
                role: 'assistant';
              };
              model: string;
              providerStatus: number;
              removed: {
                address?: number;
                age?: number;
                birthdate?: number;
                date?: number;
                email?: number;
                identifier?: number;
                ip?: number;
                name?: number;
                number?: number;
                phone?: number;
                ssn?: number;
                url?: number;
                zip?: number;
              };
              usage?: {
                completionTokens: number;
                promptTokens: number;
                totalTokens: number;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/approval-policies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The approval policies in force, one per action type that has one */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                actionType: string;
                mode: string;
                roles: string[];
                /** Format: date-time */
                setAt: string;
                setBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/approval-policies/{actionType}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set how proposals of one action type are approved: auto, or review (by the named roles) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description an action type registered on this server */
          actionType:
            | 'appointment.status'
            | 'task.create'
            | 'task.update'
            | 'service-request.status'
            | 'document-reference.draft'
            | 'communication.send'
            | 'reminder.send';
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {unknown} */
            mode: 'auto' | 'review';
            roles?: ('coordinator' | 'clinician_reviewer')[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              actionType: string;
              mode: string;
              roles: string[];
              /** Format: date-time */
              setAt: string;
              setBy: {
                id: string;
                kind: string;
                name?: string;
              };
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/event-codes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit event codes the search and export filter by */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              codes: string[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit entries by patient, actor, event code and time range, by seq; page with `after` */
    get: {
      parameters: {
        query?: {
          actor?: string;
          after?: string;
          /** @description a break-glass episode id: the accesses made under it */
          breakGlass?: string;
          /** @description audit event codes, comma-separated (phi.read,proposal.approved) */
          event?: string;
          from?: string;
          limit?: string;
          /** @description any identifier of the patient: Steward id, MRN as system|value or bare value, EHR id, or "Family, Given YYYY-MM-DD" */
          patient?: string;
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: ({
                action: string;
                actor: {
                  authMethod?: string;
                  id: string;
                  kind: string;
                  name?: string;
                } & {
                  [key: string]: unknown;
                };
                at: string;
                breakGlassId?: string;
                entity?: {
                  id: string;
                  kind: string;
                  version?: number;
                };
                event: string;
                fields?: string[];
                hash: string;
                /** @enum {unknown} */
                outcome: 'success' | 'denied' | 'failure';
                patientIds: string[];
                patients?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                }[];
                purposeOfUse?: string;
                query?: {
                  [key: string]: string;
                };
                queryUnreadable?: boolean;
                reason?: string;
                seq: number;
                site?: string;
                source?: {
                  address?: string;
                  requestId?: string;
                };
                workflow?: string;
              } & {
                [key: string]: unknown;
              })[];
              next?: number;
              patientsMatched?: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The entries a search finds, as FHIR R4 AuditEvent (IHE BALP) NDJSON, one resource a line */
    get: {
      parameters: {
        query?: {
          actor?: string;
          /** @description a break-glass episode id: the accesses made under it */
          breakGlass?: string;
          /** @description audit event codes, comma-separated (phi.read,proposal.approved) */
          event?: string;
          from?: string;
          /** @description any identifier of the patient: Steward id, MRN as system|value or bare value, EHR id, or "Family, Given YYYY-MM-DD" */
          patient?: string;
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Verify the audit chain and checkpoints from genesis; says up to which entry (seq, time) it holds */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | ({
                  checkedAt: string;
                  checkpoints: number;
                  entries: number;
                  headHash: string;
                  headSeq: number;
                  keys: {
                    fingerprint: string;
                    id: string;
                  }[];
                  lastCheckpointSeq: number;
                  /** @enum {boolean} */
                  ok: true;
                  unsealedEntries: number;
                  verifiedTo: {
                    at: string | null;
                    seq: number;
                  };
                  witnessed?: {
                    seq: number;
                    witness: string;
                  };
                } & {
                  [key: string]: unknown;
                })
              | ({
                  checkedAt: string;
                  entries: number;
                  firstBadSeq: number;
                  message: string;
                  /** @enum {boolean} */
                  ok: false;
                  problem: string;
                  verifiedTo: {
                    at: string | null;
                    seq: number;
                  };
                } & {
                  [key: string]: unknown;
                });
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in with username, password and TOTP code; returns a session token */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            cookie?: boolean;
            password: string;
            totpCode?: string;
            username: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              absoluteExpiresAt: string;
              /** Format: date-time */
              expiresAt: string;
              idleTimeoutSeconds: number;
              sessionCookie: boolean;
              sessionToken?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End this session */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/sign-in': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the sign-in page may say before anyone signs in: whether the sandbox demo runs (no data) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              demo: boolean;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/smart/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** SMART Backend Services token endpoint: client_credentials with a private_key_jwt assertion (RS384/ES384) for a short-lived access token */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            /** @description a JWT signed RS384 or ES384: iss = sub = client id, aud = the token endpoint, exp ≤ 5 min, jti */
            client_assertion: string;
            /** @description urn:ietf:params:oauth:client-assertion-type:jwt-bearer */
            client_assertion_type: string;
            /** @description client_credentials */
            grant_type: string;
            /** @description space-separated: system/<Type>.<cruds> and Steward action names */
            scope: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              access_token: string;
              expires_in: number;
              scope: string;
              /** @enum {unknown} */
              token_type: 'bearer';
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              error:
                'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';
              error_description: string;
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              error:
                'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';
              error_description: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke the API token this request carries (a session ends with POST /auth/logout) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/credentials': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Which connections and sites have automation credentials set, when and by whom (never the values) */
    get: {
      parameters: {
        query?: {
          /** @description the connection’s name or id */
          connectionId?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                connectionId: string;
                connectionName?: string;
                hasTotp: boolean;
                /** Format: date-time */
                setAt: string;
                setBy: string;
                setByName?: string;
                site: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/credentials/{connectionId}/{site}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set the automation account’s username, password and TOTP secret for a connection and site (automation.credentials.manage): sealed, never returned */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            password: string;
            /** @description base32, as the EHR showed it */
            totpSecret?: string;
            username: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              connectionId: string;
              connectionName?: string;
              hasTotp: boolean;
              /** Format: date-time */
              setAt: string;
              setBy: string;
              setByName?: string;
              site: string;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    /** Remove the automation credentials of a connection and site */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/maps': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Screen maps: the latest version of each connection and site, and the approved version runs follow */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: ({
                basedOn: number | null;
                connectionId: string;
                /** @description the connection’s name, while it is enabled */
                connectionName?: string;
                counts: {
                  fields: number;
                  forms: number;
                  screens: number;
                };
                /** @description SHA-256 of the map's canonical JSON */
                hash: string;
                note: string | null;
                /** Format: date-time */
                proposedAt: string;
                proposedBy: string;
                proposedByName?: string;
                reason: string | null;
                reviewedAt: string | null;
                reviewedBy: string | null;
                reviewedByName?: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'approved' | 'rejected' | 'superseded';
                supersededBy: number | null;
                version: number;
              } & {
                approvedVersion: number | null;
              })[];
            };
          };
        };
      };
    };
    put?: never;
    /** Propose a screen map (automation.maps.propose): validated whole, every problem named by its JSON pointer; stored as the next version, proposed */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            map: {
              [key: string]: unknown;
            };
            /** @description what changed and why, for the reviewer */
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              basedOn: number | null;
              connectionId: string;
              /** @description the connection’s name, while it is enabled */
              connectionName?: string;
              counts: {
                fields: number;
                forms: number;
                screens: number;
              };
              /** @description SHA-256 of the map's canonical JSON */
              hash: string;
              note: string | null;
              /** Format: date-time */
              proposedAt: string;
              proposedBy: string;
              proposedByName?: string;
              reason: string | null;
              reviewedAt: string | null;
              reviewedBy: string | null;
              reviewedByName?: string;
              site: string;
              /** @enum {unknown} */
              status: 'proposed' | 'approved' | 'rejected' | 'superseded';
              supersededBy: number | null;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/maps/{connectionId}/{site}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of one connection and site’s map, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                basedOn: number | null;
                connectionId: string;
                /** @description the connection’s name, while it is enabled */
                connectionName?: string;
                counts: {
                  fields: number;
                  forms: number;
                  screens: number;
                };
                /** @description SHA-256 of the map's canonical JSON */
                hash: string;
                note: string | null;
                /** Format: date-time */
                proposedAt: string;
                proposedBy: string;
                proposedByName?: string;
                reason: string | null;
                reviewedAt: string | null;
                reviewedBy: string | null;
                reviewedByName?: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'approved' | 'rejected' | 'superseded';
                supersededBy: number | null;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/maps/{connectionId}/{site}/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One version with its map */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
          version: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              basedOn: number | null;
              connectionId: string;
              /** @description the connection’s name, while it is enabled */
              connectionName?: string;
              counts: {
                fields: number;
                forms: number;
                screens: number;
              };
              /** @description SHA-256 of the map's canonical JSON */
              hash: string;
              note: string | null;
              /** Format: date-time */
              proposedAt: string;
              proposedBy: string;
              proposedByName?: string;
              reason: string | null;
              reviewedAt: string | null;
              reviewedBy: string | null;
              reviewedByName?: string;
              site: string;
              /** @enum {unknown} */
              status: 'proposed' | 'approved' | 'rejected' | 'superseded';
              supersededBy: number | null;
              version: number;
            } & {
              map: {
                [key: string]: unknown;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/maps/{connectionId}/{site}/{version}/diff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What a version changes (screens, forms, fields, labels), from the version it was proposed on or `against` */
    get: {
      parameters: {
        query?: {
          /** @description the version to compare with (default: the one it was proposed on) */
          against?: string;
        };
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
          version: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              changes: {
                after?: string;
                before?: string;
                /** @enum {unknown} */
                change: 'added' | 'removed' | 'changed' | 'reordered';
                path: string;
              }[];
              from: number | null;
              summary: {
                fields: string[];
                forms: string[];
                labels: number;
                screens: string[];
              };
              to: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/maps/{connectionId}/{site}/{version}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve or reject a proposed version (automation.maps.review), never one’s own; approving supersedes the version before and open proposals */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the connection’s name or id */
          connectionId: string;
          site: string;
          version: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {unknown} */
            decision: 'approve' | 'reject';
            /** @description required to reject: what to change */
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              basedOn: number | null;
              connectionId: string;
              /** @description the connection’s name, while it is enabled */
              connectionName?: string;
              counts: {
                fields: number;
                forms: number;
                screens: number;
              };
              /** @description SHA-256 of the map's canonical JSON */
              hash: string;
              note: string | null;
              /** Format: date-time */
              proposedAt: string;
              proposedBy: string;
              proposedByName?: string;
              reason: string | null;
              reviewedAt: string | null;
              reviewedBy: string | null;
              reviewedByName?: string;
              site: string;
              /** @enum {unknown} */
              status: 'proposed' | 'approved' | 'rejected' | 'superseded';
              supersededBy: number | null;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/reads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reads a screens connection's screen (its map's read: a day's schedule, a task list) into the inbound journal now, as a recorded run of the connection's account; an administrator operating the integration (config.manage at its site) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            connection: string;
            day?: string;
            read: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              duplicates: number;
              events: number;
              refused: number;
              rows: number;
              runId: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Runs of screen automation, newest first, by patient, identity, proposal, outcome, site and date */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          from?: string;
          identity?: string;
          limit?: string;
          /** @description running, done, halted, or why a run halted */
          outcome?:
            | 'running'
            | 'done'
            | 'halted'
            | 'unexpected-screen'
            | 'missing-element'
            | 'wrong-patient'
            | 'value-too-long'
            | 'option-not-exact'
            | 'read-back-mismatch'
            | 'login-failed'
            | 'timed-out'
            | 'browser-crashed'
            | 'origin-refused';
          /** @description the patient: Steward id, MRN as system|value or bare value, EHR id, or "Family, Given YYYY-MM-DD" */
          patient?: string;
          proposal?: string;
          site?: string;
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                account: {
                  id: string;
                  name?: string;
                };
                approver?: {
                  id: string;
                  name?: string;
                };
                connectionId: string;
                finishedAt?: string;
                halt?: {
                  /** @description the screen, field or element concerned (no PHI) */
                  detail: string;
                  /** @enum {unknown} */
                  reason:
                    | 'unexpected-screen'
                    | 'missing-element'
                    | 'wrong-patient'
                    | 'value-too-long'
                    | 'option-not-exact'
                    | 'read-back-mismatch'
                    | 'login-failed'
                    | 'timed-out'
                    | 'browser-crashed'
                    | 'origin-refused';
                  /** @description a submit was sent before the halt: the write may have landed */
                  submitted: boolean;
                };
                id: string;
                /** @enum {unknown} */
                kind: 'write' | 'read' | 'record';
                mapVersion: number;
                patientLabels: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                }[];
                patients: string[];
                proposalId?: string;
                purged?: {
                  screenshots?: string;
                  values?: string;
                };
                purpose: string;
                reportedSteps?: number;
                site: string;
                startedAt: string;
                startedBy: {
                  id: string;
                  kind: string;
                  name: string;
                };
                /** @enum {unknown} */
                status: 'running' | 'done' | 'halted';
                stepCount: number;
              }[];
              next?: string;
              patientsMatched?: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/runs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One run and its steps in order (action, target, timing, outcome), without screenshots or values */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              account: {
                id: string;
                name?: string;
              };
              approver?: {
                id: string;
                name?: string;
              };
              connectionId: string;
              finishedAt?: string;
              halt?: {
                /** @description the screen, field or element concerned (no PHI) */
                detail: string;
                /** @enum {unknown} */
                reason:
                  | 'unexpected-screen'
                  | 'missing-element'
                  | 'wrong-patient'
                  | 'value-too-long'
                  | 'option-not-exact'
                  | 'read-back-mismatch'
                  | 'login-failed'
                  | 'timed-out'
                  | 'browser-crashed'
                  | 'origin-refused';
                /** @description a submit was sent before the halt: the write may have landed */
                submitted: boolean;
              };
              id: string;
              /** @enum {unknown} */
              kind: 'write' | 'read' | 'record';
              mapVersion: number;
              patientLabels: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              }[];
              patients: string[];
              proposalId?: string;
              purged?: {
                screenshots?: string;
                values?: string;
              };
              purpose: string;
              reportedSteps?: number;
              site: string;
              startedAt: string;
              startedBy: {
                id: string;
                kind: string;
                name: string;
              };
              /** @enum {unknown} */
              status: 'running' | 'done' | 'halted';
              stepCount: number;
              steps: {
                /** @enum {unknown} */
                action:
                  | 'identify'
                  | 'navigate'
                  | 'relogin'
                  | 'open-patient'
                  | 'check-banner'
                  | 'fill'
                  | 'read-back'
                  | 'submit'
                  | 'read'
                  | 'halt';
                detail?: string;
                durationMs: number;
                index: number;
                inputEvents: number;
                /** @enum {unknown} */
                outcome: 'ok' | 'halted' | 'failed';
                screen?: string;
                /** @enum {unknown} */
                screenshot: 'sealed' | 'purged' | 'none';
                startedAt: string;
                target?: string;
                /** @enum {unknown} */
                value: 'sealed' | 'purged' | 'none';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/runs/{id}/steps/{index}/screenshot': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A step's screenshot, decrypted (PHI): automation.replay and phi.read at the run's site; each view audited */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          index: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/automation/runs/{id}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Opens every step's sealed screenshot and value, hashes them and compares with the audit chain */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ok: boolean;
              problems: {
                index: number;
                part?: string;
                /** @enum {unknown} */
                problem: 'audit-missing' | 'step-missing' | 'sealed-altered' | 'digest-mismatch' | 'content-missing';
              }[];
              purged: number;
              runId: string;
              steps: number;
              verified: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/break-glass': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List break-glass episodes for review */
    get: {
      parameters: {
        query?: {
          unreviewed?: 'true' | 'false';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: date-time */
                expiresAt: string;
                id: string;
                reason: string;
                /** Format: date-time */
                reviewedAt?: string;
                reviewedBy?: string;
                site: string;
                /** Format: date-time */
                startedAt: string;
                userId: string;
                username: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Start time-boxed emergency access at a site (reason required; loudly audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            minutes?: number;
            reason: string;
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              expiresAt: string;
              id: string;
              reason: string;
              /** Format: date-time */
              reviewedAt?: string;
              reviewedBy?: string;
              site: string;
              /** Format: date-time */
              startedAt: string;
              userId: string;
              username: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/break-glass/{id}/accesses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The accesses made under an episode, oldest first, with their patients by name and birth date (for its review; audited) */
    get: {
      parameters: {
        query?: {
          after?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              episode: {
                /** Format: date-time */
                expiresAt: string;
                id: string;
                reason: string;
                /** Format: date-time */
                reviewedAt?: string;
                reviewedBy?: string;
                site: string;
                /** Format: date-time */
                startedAt: string;
                userId: string;
                username: string;
              };
              items: ({
                action: string;
                actor: {
                  authMethod?: string;
                  id: string;
                  kind: string;
                  name?: string;
                } & {
                  [key: string]: unknown;
                };
                at: string;
                breakGlassId?: string;
                entity?: {
                  id: string;
                  kind: string;
                  version?: number;
                };
                event: string;
                fields?: string[];
                hash: string;
                /** @enum {unknown} */
                outcome: 'success' | 'denied' | 'failure';
                patientIds: string[];
                patients?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                }[];
                purposeOfUse?: string;
                query?: {
                  [key: string]: string;
                };
                queryUnreadable?: boolean;
                reason?: string;
                seq: number;
                site?: string;
                source?: {
                  address?: string;
                  requestId?: string;
                };
                workflow?: string;
              } & {
                [key: string]: unknown;
              })[];
              next?: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/break-glass/{id}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record the compliance review of an episode */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            note: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find people and organizations at a site by name, birth date (YYYY-MM-DD) or phone */
    get: {
      parameters: {
        query: {
          q: string;
          site: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                birthDate?: string;
                id: string;
                kind: 'person' | 'organization';
                name: string;
              }[];
              more: boolean;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A person or organization with every relationship and note */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export a site's whole contact graph (JSON, CSV files, or a FHIR Bundle) */
    get: {
      parameters: {
        query: {
          format: 'json' | 'csv' | 'fhir';
          site: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Import a practice's contacts, relationships and notes; answers the reconciliation report */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            contacts: {
              file: string;
              problem?: string;
              row: number;
              values?: {
                [key: string]: unknown;
              };
            }[];
            digest: string;
            dryRun?: boolean;
            mapping: {
              [key: string]: unknown;
            };
            notes: {
              file: string;
              problem?: string;
              row: number;
              values?: {
                [key: string]: unknown;
              };
            }[];
            relationships: {
              file: string;
              problem?: string;
              row: number;
              values?: {
                [key: string]: unknown;
              };
            }[];
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/import/files': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Import a practice's uploaded files (mapping, contacts and the files it names); `dryRun` answers the report without writing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            contacts: {
              content: string;
              name: string;
            };
            dryRun?: boolean;
            files: {
              content: string;
              name: string;
            }[];
            mapping: {
              content: string;
              name: string;
            };
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/relationship-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The practice's relationship types (direction, reciprocal name, authority, FHIR home) */
    get: {
      parameters: {
        query: {
          site: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/directory': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search the directory by name, identifier or EHR id; filter by kind, connection, status, network */
    get: {
      parameters: {
        query?: {
          connection?: string;
          kind?: 'Practitioner' | 'PractitionerRole' | 'Organization' | 'Location' | 'HealthcareService';
          /** @description 1-200, default 50 */
          limit?: string;
          network?: 'in' | 'out';
          q?: string;
          status?: 'resolved' | 'unresolved';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                active: boolean | null;
                address: string | null;
                connectionId: string;
                ehrId: string | null;
                /** Format: date-time */
                firstSeen: string;
                id: string;
                identifiers: {
                  system: string;
                  value: string;
                }[];
                /** @enum {unknown} */
                kind: 'Practitioner' | 'PractitionerRole' | 'Organization' | 'Location' | 'HealthcareService';
                lastError: string | null;
                links: {
                  locations?: string[];
                  organization?: string;
                  partOf?: string;
                  practitioner?: string;
                  services?: string[];
                };
                name: string | null;
                network: ('in' | 'out') | null;
                organizationName: string | null;
                reference: string;
                sources: ('fhir' | 'hl7v2' | 'reference')[];
                specialties: string[];
                /** @enum {unknown} */
                status: 'resolved' | 'unresolved';
                telecom: {
                  system: string;
                  use?: string;
                  value: string;
                }[];
                /** Format: date-time */
                updatedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/directory/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One directory entry: names, identifiers, specialties, contact points, links, network */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              active: boolean | null;
              address: string | null;
              connectionId: string;
              ehrId: string | null;
              /** Format: date-time */
              firstSeen: string;
              id: string;
              identifiers: {
                system: string;
                value: string;
              }[];
              /** @enum {unknown} */
              kind: 'Practitioner' | 'PractitionerRole' | 'Organization' | 'Location' | 'HealthcareService';
              lastError: string | null;
              links: {
                locations?: string[];
                organization?: string;
                partOf?: string;
                practitioner?: string;
                services?: string[];
              };
              name: string | null;
              network: ('in' | 'out') | null;
              organizationName: string | null;
              reference: string;
              resolvedNetwork: ('in' | 'out') | null;
              sources: ('fhir' | 'hl7v2' | 'reference')[];
              specialties: string[];
              /** @enum {unknown} */
              status: 'resolved' | 'unresolved';
              telecom: {
                system: string;
                use?: string;
                value: string;
              }[];
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/directory/{id}/network': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Mark an organization in or out of the clinic's network (null clears the mark); audited */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            network: ('in' | 'out') | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              active: boolean | null;
              address: string | null;
              connectionId: string;
              ehrId: string | null;
              /** Format: date-time */
              firstSeen: string;
              id: string;
              identifiers: {
                system: string;
                value: string;
              }[];
              /** @enum {unknown} */
              kind: 'Practitioner' | 'PractitionerRole' | 'Organization' | 'Location' | 'HealthcareService';
              lastError: string | null;
              links: {
                locations?: string[];
                organization?: string;
                partOf?: string;
                practitioner?: string;
                services?: string[];
              };
              name: string | null;
              network: ('in' | 'out') | null;
              organizationName: string | null;
              reference: string;
              sources: ('fhir' | 'hl7v2' | 'reference')[];
              specialties: string[];
              /** @enum {unknown} */
              status: 'resolved' | 'unresolved';
              telecom: {
                system: string;
                use?: string;
                value: string;
              }[];
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/egress': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List registered outbound destinations */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                allowPrivateNetwork: boolean;
                baaOnRecord: boolean;
                baaReference?: string;
                baseUrl: string;
                id: string;
                kind: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Register an outbound destination */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            allowPrivateNetwork?: boolean;
            baaOnRecord: boolean;
            baaReference?: string;
            baseUrl: string;
            /** @enum {unknown} */
            kind: 'ehr' | 'messaging' | 'ai' | 'other';
            name: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              allowPrivateNetwork: boolean;
              baaOnRecord: boolean;
              baaReference?: string;
              baseUrl: string;
              id: string;
              kind: string;
              name: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** EHR connections and what each is doing (listener, subscriptions, last poll) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                facilityTimeZone: string;
                fhirBaseUrl: string | null;
                mllpPort: number | null;
                name: string;
                owner: {
                  live: boolean;
                  node: string;
                  since: string;
                } | null;
                requestsPerSecond: number;
                running: {
                  lastNotification?: {
                    at: string;
                    events: number;
                    type: string;
                  };
                  lastPoll?: {
                    at: string;
                    result: {
                      [key: string]: unknown;
                    };
                  };
                  lastPollError?: string;
                  mllp?: {
                    host: string;
                    port: number;
                  };
                  name: string;
                  owner?: {
                    node: string;
                    since: string;
                  };
                  subscriptions?: {
                    [key: string]: unknown;
                  };
                } | null;
                site: string;
                vendor: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Register an EHR connection for a site (FHIR R4 with SMART Backend Services, and/or an HL7 v2 feed) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            budget?: {
              requestsPerSecond?: number;
            };
            /** @enum {unknown} */
            channel?: 'fhir-r4' | 'screens';
            clientId?: string;
            facilityTimeZone: string;
            fhirBaseUrl?: string;
            mllp?: {
              allowedSources?: string[];
              ignoreTypes?: string[];
              routeTypes?: string[];
              sendingApplications?: string[];
              sendingFacilities?: string[];
              tls?: boolean;
            };
            mllpPort?: number;
            name: string;
            pollIntervalSeconds?: number;
            privateKey?: {
              alg?: string;
              kid?: string;
              kty: string;
            } & {
              [key: string]: unknown;
            };
            scopes?: string[];
            site: string;
            /** @enum {unknown} */
            vendor: 'generic-r4' | 'epic' | 'oracle-health' | 'athenahealth';
            /** @enum {unknown} */
            zonelessTimes?: 'infer' | 'refuse';
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fhirBaseUrl: string | null;
              name: string;
              serviceAccount: string;
              site: string;
              /** @description whether the running EHR layer started it now */
              started: boolean;
              vendor: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{id}/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** FHIR subscription notifications from an EHR (R4 backport rest-hook) */
    post: {
      parameters: {
        query?: {
          k?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              events: number;
              type: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{name}/check': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Prove a connection works: discovery, a SMART token, a read */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              connection: string;
              ok: boolean;
              steps: {
                detail: string;
                ms: number;
                ok: boolean;
                /** @enum {unknown} */
                step: 'discovery' | 'token' | 'read';
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{name}/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The attention list: messages not processed (dead letters), filed under a reused control id, or kept but not routed (ignored), with counts per kind and the reason (never their content) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              counts: {
                controlIdReused: number;
                deadLetter: number;
                ignored: number;
                patientNotFound: number;
              };
              items: {
                /** @enum {unknown} */
                channel: 'fhir-subscription' | 'fhir-poll' | 'hl7v2' | 'sandbox' | 'screens';
                connectionId: string;
                /** @enum {unknown} */
                kind: 'dead-letter' | 'control-id-reused' | 'patient-not-found' | 'ignored';
                messageId: string;
                messageKey: string;
                messageType: string;
                reason: string;
                /** Format: date-time */
                receivedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{name}/flagged-events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Events filed with something a person should look at (schedule conflicts, inferred time zones): codes and field names, never content */
    get: {
      parameters: {
        query?: {
          /** @description 1-1000, default 100 */
          limit?: string;
        };
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                eventId: string;
                flags: {
                  /** @enum {unknown} */
                  code: 'schedule-conflict' | 'zone-inferred';
                  detail: string;
                }[];
                occurredAt: string;
                seq: number;
                sourceRef: string;
                type: string;
              }[];
              total: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{name}/referral-rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A connection's referral rules: vendor defaults, the site's override, the rules in force */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              connection: string;
              defaults: {
                /** @enum {unknown} */
                otherwise: 'referral' | 'not-referral';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              effective: {
                /** @enum {unknown} */
                otherwise: 'referral' | 'not-referral';
                /** @enum {unknown} */
                otherwiseOrigin: 'site' | 'vendor';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  /** @enum {unknown} */
                  origin: 'site' | 'vendor';
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              override: {
                disabled: string[];
                /** @enum {unknown} */
                otherwise?: 'referral' | 'not-referral';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              updatedAt: string | null;
              updatedBy: string | null;
              /** @enum {unknown} */
              vendor: 'generic-r4' | 'epic' | 'oracle-health' | 'athenahealth';
              /** @description 0 while the site has never changed the defaults */
              version: number;
            };
          };
        };
      };
    };
    /** Replace the site's override: its own rules (first), default rules switched off, otherwise */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              connection: string;
              defaults: {
                /** @enum {unknown} */
                otherwise: 'referral' | 'not-referral';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              effective: {
                /** @enum {unknown} */
                otherwise: 'referral' | 'not-referral';
                /** @enum {unknown} */
                otherwiseOrigin: 'site' | 'vendor';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  /** @enum {unknown} */
                  origin: 'site' | 'vendor';
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              override: {
                disabled: string[];
                /** @enum {unknown} */
                otherwise?: 'referral' | 'not-referral';
                rules: {
                  /** @enum {unknown} */
                  decision: 'referral' | 'not-referral';
                  description: string;
                  id: string;
                  when: {
                    category?: {
                      code?: string;
                      system?: string;
                    }[];
                    code?: {
                      code?: string;
                      system?: string;
                    }[];
                    intent?: string[];
                    performerKind?: string[];
                    performerType?: {
                      code?: string;
                      system?: string;
                    }[];
                    serviceLabel?: string;
                    source?: string[];
                    status?: string[];
                  };
                }[];
              };
              updatedAt: string | null;
              updatedBy: string | null;
              /** @enum {unknown} */
              vendor: 'generic-r4' | 'epic' | 'oracle-health' | 'athenahealth';
              /** @description 0 while the site has never changed the defaults */
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ehr/connections/{name}/referral-rules/explain': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Which rule decides whether a ServiceRequest is a referral on this connection (nothing is filed) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              description: string;
              origin: string;
              referral: boolean;
              rule: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Deliveries given up after the last attempt (the caller's subscriptions) */
    get: {
      parameters: {
        query?: {
          limit?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                attemptLog: {
                  at: string;
                  /** @description why no answer came: TIMEOUT, UNREACHABLE, an error code */
                  error?: string;
                  ms: number;
                  /** @description the receiver's status code */
                  status?: number;
                }[];
                attempts: number;
                /** Format: date-time */
                deadAt: string;
                eventId: string;
                id: string;
                lastError: string | null;
                lastStatus: number | null;
                subscriptionId: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/dead-letters/{id}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Deliver a dead letter again (a fresh count of attempts) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Server-sent events: the caller’s events as they come (resume with Last-Event-ID or ?after=) */
    get: {
      parameters: {
        query?: {
          after?: string;
          phi?: 'true' | 'false';
          /** @description without after: start with the events recorded at or after this time */
          since?: string;
          /** @description comma-separated event types */
          types?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's webhook subscriptions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: date-time */
                createdAt: string;
                /** @description the egress destination the URL lies under */
                destination: string;
                id: string;
                types: string[];
                url: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Subscribe to events by webhook (the secret is shown once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the event types wanted; none or empty for every type */
            types?: string[];
            /** @description the webhook URL: it must lie under a destination in the egress registry */
            url: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description whsec_…: the signing secret, shown this once */
              secret: string;
              subscription: {
                /** Format: date-time */
                createdAt: string;
                /** @description the egress destination the URL lies under */
                destination: string;
                id: string;
                types: string[];
                url: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/subscriptions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** End a webhook subscription */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/followups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recheck follow-ups at a site: stage, window, appointment, next reminder, flags; page by `after` */
    get: {
      parameters: {
        query: {
          after?: string;
          /** @description 1-500, default 50 */
          limit?: string;
          overdue?: 'true' | 'false';
          site: string;
          stage?: 'awaiting-booking' | 'booked' | 'rebooking' | 'no-show' | 'fulfilled' | 'closed';
          status?: 'running' | 'completed' | 'failed';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                appointmentRef: string | null;
                appointmentStart: string | null;
                confirmation: string | null;
                connectionId: string;
                correlationKey: string;
                counts: {
                  [key: string]: number;
                };
                createdAt: string;
                id: string;
                nextReminderAt: string | null;
                optedOut: boolean;
                orderRef: string;
                overdue: boolean;
                owner: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                proposals: number;
                service: string | null;
                site: string | null;
                stage: string;
                stageAt: string | null;
                status: string;
                updatedAt: string;
                window: {
                  end: string;
                  start: string;
                } | null;
              }[];
              next?: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/followups/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One follow-up's timeline: history, messages sent, replies, and what is next */
    get: {
      parameters: {
        query?: {
          /** @description true: include the messages' text */
          bodies?: 'true' | 'false';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              asOf: string;
              followup: {
                appointmentRef: string | null;
                appointmentStart: string | null;
                confirmation: string | null;
                connectionId: string;
                correlationKey: string;
                counts: {
                  [key: string]: number;
                };
                createdAt: string;
                id: string;
                nextReminderAt: string | null;
                optedOut: boolean;
                orderRef: string;
                overdue: boolean;
                owner: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                proposals: number;
                service: string | null;
                site: string | null;
                stage: string;
                stageAt: string | null;
                status: string;
                updatedAt: string;
                window: {
                  end: string;
                  start: string;
                } | null;
              };
              history: {
                at: string;
                eventId: string | null;
                eventType: string | null;
                /** @enum {unknown} */
                input: 'start' | 'signal' | 'timer' | 'effect';
                intent: string | null;
                messageId: string | null;
                name: string;
                occurredAt: string | null;
                proposalId: string | null;
                resource: string | null;
                revisedTo: string | null;
                signal: ('appointment' | 'order' | 'reply' | 'proposal-outcome') | null;
                start: string | null;
                status: string | null;
                step: number;
                tag: string | null;
              }[];
              messages: {
                body?: string;
                channel: string;
                createdAt: string;
                id: string;
                language: string;
                notBefore: string;
                proposalId: string | null;
                status: string;
                subject?: string;
                template: string;
              }[];
              proposals: {
                proposalId: string | null;
                revisedTo: string | null;
                status: string;
                tag: string;
              }[];
              reminders: {
                dueAt: string;
                name: string;
                offsetDays: number;
                /** @enum {unknown} */
                status: 'scheduled' | 'due' | 'cancelled';
              }[];
              replies: {
                at: string;
                intent: string;
                messageId: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List live grants */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                actionTypes?: string[];
                id: string;
                principalId: string;
                /** @enum {unknown} */
                principalKind: 'user' | 'service';
                principalName?: string;
                /** @enum {unknown} */
                purposeOfUse: 'TREAT' | 'ETREAT' | 'HOPERAT' | 'HPAYMT' | 'HSYSADMIN' | 'HCOMPL';
                /** @enum {unknown} */
                role:
                  | 'admin'
                  | 'compliance_officer'
                  | 'coordinator'
                  | 'front_desk'
                  | 'clinician_reviewer'
                  | 'automation'
                  | 'integration'
                  | 'agent';
                site: string;
                workflow: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Grant a role, scoped by site and workflow, for a purpose of use */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description for a role that drafts proposals (agent, automation, coordinator): the action types it may propose; leave out for all */
            actionTypes?: string[];
            principalId: string;
            /** @enum {unknown} */
            principalKind: 'user' | 'service';
            /** @enum {unknown} */
            purposeOfUse: 'TREAT' | 'ETREAT' | 'HOPERAT' | 'HPAYMT' | 'HSYSADMIN' | 'HCOMPL';
            /** @enum {unknown} */
            role:
              | 'admin'
              | 'compliance_officer'
              | 'coordinator'
              | 'front_desk'
              | 'clinician_reviewer'
              | 'automation'
              | 'integration'
              | 'agent';
            site: string;
            workflow: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              actionTypes?: string[];
              id: string;
              principalId: string;
              /** @enum {unknown} */
              principalKind: 'user' | 'service';
              principalName?: string;
              /** @enum {unknown} */
              purposeOfUse: 'TREAT' | 'ETREAT' | 'HOPERAT' | 'HPAYMT' | 'HSYSADMIN' | 'HCOMPL';
              /** @enum {unknown} */
              role:
                | 'admin'
                | 'compliance_officer'
                | 'coordinator'
                | 'front_desk'
                | 'clinician_reviewer'
                | 'automation'
                | 'integration'
                | 'agent';
              site: string;
              workflow: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              actionTypes?: string[];
              id: string;
              principalId: string;
              /** @enum {unknown} */
              principalKind: 'user' | 'service';
              principalName?: string;
              /** @enum {unknown} */
              purposeOfUse: 'TREAT' | 'ETREAT' | 'HOPERAT' | 'HPAYMT' | 'HSYSADMIN' | 'HCOMPL';
              /** @enum {unknown} */
              role:
                | 'admin'
                | 'compliance_officer'
                | 'coordinator'
                | 'front_desk'
                | 'clinician_reviewer'
                | 'automation'
                | 'integration'
                | 'agent';
              site: string;
              workflow: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/grants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a grant, effective at once */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoff-policies/{site}/{kind}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A site+kind's escalation policy (version 0, no steps: none set) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description dotted lowercase words, e.g. intake.incomplete, referral.next-step */
          kind: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              kind: string;
              site: string;
              steps: {
                condition: string;
                delay: {
                  amount: number;
                  business: boolean;
                  unit: string;
                };
                target: {
                  kind: string;
                  ref?: string;
                };
              }[];
              updatedAt: string | null;
              updatedBy: string | null;
              version: number;
            };
          };
        };
      };
    };
    /** Replace a site+kind's escalation policy (config.manage, audited); handoffs already raised keep their planned steps */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description dotted lowercase words, e.g. intake.incomplete, referral.next-step */
          kind: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the version you saw (0: none yet) */
            expectedVersion?: number;
            /** @description in order; delays from when the handoff was offered */
            steps: {
              /** @enum {unknown} */
              condition: 'not-accepted' | 'not-done';
              delay: {
                amount: number;
                /** @description counted in the site's opening hours (true) or on the clock (false) */
                business: boolean;
                /** @enum {unknown} */
                unit: 'minutes' | 'hours' | 'days';
              };
              target:
                | {
                    /** @enum {string} */
                    kind: 'lead';
                  }
                | {
                    /** @enum {string} */
                    kind: 'pool';
                    /** @description e.g. north-desk */
                    ref: string;
                  }
                | {
                    /** @enum {string} */
                    kind: 'rota';
                    /** @description e.g. north-desk */
                    ref: string;
                  };
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              kind: string;
              site: string;
              steps: {
                condition: string;
                delay: {
                  amount: number;
                  business: boolean;
                  unit: string;
                };
                target: {
                  kind: string;
                  ref?: string;
                };
              }[];
              updatedAt: string | null;
              updatedBy: string | null;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The handoffs about one subject (a patient, referral, document or proposal), done ones too */
    get: {
      parameters: {
        query: {
          /** @description a reference, never free text */
          id: string;
          kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                ask: string;
                assignee: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                } | null;
                /** Format: date-time */
                createdAt: string;
                dueAt: string | null;
                escalatedTo: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                }[];
                from: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                id: string;
                kind: string;
                overdue: boolean;
                patientId: string | null;
                site: string;
                /** @enum {unknown} */
                status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
                subject: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
                };
                to: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Raise a handoff to a person, a pool or a role at a site, due at an instant or in the site's business hours or days; its site+kind's escalation policy is planned now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a short instruction (sealed at rest; keep it reference-level) */
            ask: string;
            due?:
              | {
                  /**
                   * Format: date-time
                   * @description an instant with its offset
                   */
                  at: string;
                }
              | {
                  businessHours: number;
                }
              | {
                  businessDays: number;
                }
              | {
                  businessMinutes: number;
                };
            /** @description idempotency: a key already used returns that handoff */
            key?: string;
            /** @description dotted lowercase words, e.g. intake.incomplete, referral.next-step */
            kind: string;
            patientId?: string;
            site: string;
            subject: {
              /** @description a reference, never free text */
              id: string;
              /** @enum {unknown} */
              kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
            };
            to:
              | {
                  /** @enum {string} */
                  kind: 'user';
                  /** @description a user id or username */
                  ref: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'pool';
                  /** @description e.g. north-desk */
                  ref: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'role';
                  /** @enum {unknown} */
                  ref:
                    | 'admin'
                    | 'compliance_officer'
                    | 'coordinator'
                    | 'front_desk'
                    | 'clinician_reviewer'
                    | 'automation'
                    | 'integration'
                    | 'agent';
                };
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ask: string;
              assignee: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              } | null;
              /** Format: date-time */
              createdAt: string;
              dueAt: string | null;
              escalatedTo: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              }[];
              from: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              id: string;
              kind: string;
              overdue: boolean;
              patientId: string | null;
              site: string;
              /** @enum {unknown} */
              status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              subject: {
                id: string;
                /** @enum {unknown} */
                kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
              };
              to: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              /** Format: date-time */
              updatedAt: string;
              version: number;
            } & {
              history: {
                actor: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                at: string;
                detail: unknown;
                /** @enum {unknown} */
                event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
                fromStatus: ('offered' | 'accepted' | 'done' | 'declined' | 'expired') | null;
                reason?: string;
                seq: number;
                /** @enum {unknown} */
                toStatus: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One handoff with its history (each transition and escalation, with its actor and time) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ask: string;
              assignee: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              } | null;
              /** Format: date-time */
              createdAt: string;
              dueAt: string | null;
              escalatedTo: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              }[];
              from: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              id: string;
              kind: string;
              overdue: boolean;
              patientId: string | null;
              site: string;
              /** @enum {unknown} */
              status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              subject: {
                id: string;
                /** @enum {unknown} */
                kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
              };
              to: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              /** Format: date-time */
              updatedAt: string;
              version: number;
            } & {
              history: {
                actor: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                at: string;
                detail: unknown;
                /** @enum {unknown} */
                event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
                fromStatus: ('offered' | 'accepted' | 'done' | 'declined' | 'expired') | null;
                reason?: string;
                seq: number;
                /** @enum {unknown} */
                toStatus: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/{id}/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Take a handoff offered to me, my pool or my role */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ask: string;
              assignee: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              } | null;
              /** Format: date-time */
              createdAt: string;
              dueAt: string | null;
              escalatedTo: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              }[];
              from: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              id: string;
              kind: string;
              overdue: boolean;
              patientId: string | null;
              site: string;
              /** @enum {unknown} */
              status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              subject: {
                id: string;
                /** @enum {unknown} */
                kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
              };
              to: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              /** Format: date-time */
              updatedAt: string;
              version: number;
            } & {
              history: {
                actor: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                at: string;
                detail: unknown;
                /** @enum {unknown} */
                event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
                fromStatus: ('offered' | 'accepted' | 'done' | 'declined' | 'expired') | null;
                reason?: string;
                seq: number;
                /** @enum {unknown} */
                toStatus: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/{id}/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Give a handoff back with a reason: to its pool or role, or to its sender (else the decliner's lead) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ask: string;
              assignee: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              } | null;
              /** Format: date-time */
              createdAt: string;
              dueAt: string | null;
              escalatedTo: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              }[];
              from: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              id: string;
              kind: string;
              overdue: boolean;
              patientId: string | null;
              site: string;
              /** @enum {unknown} */
              status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              subject: {
                id: string;
                /** @enum {unknown} */
                kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
              };
              to: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              /** Format: date-time */
              updatedAt: string;
              version: number;
            } & {
              history: {
                actor: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                at: string;
                detail: unknown;
                /** @enum {unknown} */
                event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
                fromStatus: ('offered' | 'accepted' | 'done' | 'declined' | 'expired') | null;
                reason?: string;
                seq: number;
                /** @enum {unknown} */
                toStatus: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/{id}/done': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark a handoff done (its holder, or one it is offered to) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ask: string;
              assignee: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              } | null;
              /** Format: date-time */
              createdAt: string;
              dueAt: string | null;
              escalatedTo: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              }[];
              from: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              id: string;
              kind: string;
              overdue: boolean;
              patientId: string | null;
              site: string;
              /** @enum {unknown} */
              status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              subject: {
                id: string;
                /** @enum {unknown} */
                kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
              };
              to: {
                id: string;
                /** @enum {unknown} */
                kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                name: string;
              };
              /** Format: date-time */
              updatedAt: string;
              version: number;
            } & {
              history: {
                actor: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                at: string;
                detail: unknown;
                /** @enum {unknown} */
                event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
                fromStatus: ('offered' | 'accepted' | 'done' | 'declined' | 'expired') | null;
                reason?: string;
                seq: number;
                /** @enum {unknown} */
                toStatus: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/mine': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My work: handoffs I hold, offered to me, my pools or my roles, or escalated to me (overdue first) */
    get: {
      parameters: {
        query?: {
          /** @description 1-200, default 200 */
          limit?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                ask: string;
                assignee: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                } | null;
                /** Format: date-time */
                createdAt: string;
                dueAt: string | null;
                escalatedTo: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                }[];
                from: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                id: string;
                kind: string;
                overdue: boolean;
                patientId: string | null;
                site: string;
                /** @enum {unknown} */
                status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
                subject: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
                };
                to: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/handoffs/pools/{pool}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A pool's queue: the open handoffs offered or escalated to it (overdue first) */
    get: {
      parameters: {
        query?: {
          /** @description 1-200, default 200 */
          limit?: string;
        };
        header?: never;
        path: {
          /** @description e.g. north-desk */
          pool: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                ask: string;
                assignee: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                } | null;
                /** Format: date-time */
                createdAt: string;
                dueAt: string | null;
                escalatedTo: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                }[];
                from: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                id: string;
                kind: string;
                overdue: boolean;
                patientId: string | null;
                site: string;
                /** @enum {unknown} */
                status: 'offered' | 'accepted' | 'done' | 'declined' | 'expired';
                subject: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'patient' | 'referral' | 'document' | 'proposal' | 'followup';
                };
                to: {
                  id: string;
                  /** @enum {unknown} */
                  kind: 'user' | 'service' | 'pool' | 'role' | 'none';
                  name: string;
                };
                /** Format: date-time */
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process is alive */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              status: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Incidents, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                closedAt?: string;
                containment: {
                  decidedAt?: string;
                  decidedBy?: string;
                  /** @description the rollback’s outcome, or the stable error code it failed with */
                  outcome?: string;
                  proposalId: string;
                  proposedAt: string;
                  proposedBy: string;
                  site: string;
                  /** @enum {unknown} */
                  status: 'proposed' | 'applied' | 'failed' | 'rejected';
                }[];
                discoveredAt: string;
                id: string;
                openedAt: string;
                openedBy: string;
                origin: {
                  auditSeq?: number;
                  from?: string;
                  /** @enum {unknown} */
                  kind: 'proposal' | 'write' | 'patient' | 'range';
                  patientId?: string;
                  proposalId?: string;
                  to?: string;
                };
                /** @enum {unknown} */
                status: 'open' | 'contained' | 'closed';
                summary: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Opens an incident; its scope is read from the audit trail and rollbacks are proposed */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            discoveredAt?: string;
            origin: {
              auditSeq?: number;
              from?: string;
              /** @enum {unknown} */
              kind: 'proposal' | 'write' | 'patient' | 'range';
              patientId?: string;
              proposalId?: string;
              to?: string;
            };
            summary: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt?: string;
              containment: {
                decidedAt?: string;
                decidedBy?: string;
                /** @description the rollback’s outcome, or the stable error code it failed with */
                outcome?: string;
                proposalId: string;
                proposedAt: string;
                proposedBy: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'applied' | 'failed' | 'rejected';
              }[];
              discoveredAt: string;
              id: string;
              openedAt: string;
              openedBy: string;
              origin: {
                auditSeq?: number;
                from?: string;
                /** @enum {unknown} */
                kind: 'proposal' | 'write' | 'patient' | 'range';
                patientId?: string;
                proposalId?: string;
                to?: string;
              };
              /** @enum {unknown} */
              status: 'open' | 'contained' | 'closed';
              summary: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One incident and its proposed, applied and rejected rollbacks */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt?: string;
              containment: {
                decidedAt?: string;
                decidedBy?: string;
                /** @description the rollback’s outcome, or the stable error code it failed with */
                outcome?: string;
                proposalId: string;
                proposedAt: string;
                proposedBy: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'applied' | 'failed' | 'rejected';
              }[];
              discoveredAt: string;
              id: string;
              openedAt: string;
              openedBy: string;
              origin: {
                auditSeq?: number;
                from?: string;
                /** @enum {unknown} */
                kind: 'proposal' | 'write' | 'patient' | 'range';
                patientId?: string;
                proposalId?: string;
                to?: string;
              };
              /** @enum {unknown} */
              status: 'open' | 'contained' | 'closed';
              summary: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Closes an incident */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt?: string;
              containment: {
                decidedAt?: string;
                decidedBy?: string;
                /** @description the rollback’s outcome, or the stable error code it failed with */
                outcome?: string;
                proposalId: string;
                proposedAt: string;
                proposedBy: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'applied' | 'failed' | 'rejected';
              }[];
              discoveredAt: string;
              id: string;
              openedAt: string;
              openedBy: string;
              origin: {
                auditSeq?: number;
                from?: string;
                /** @enum {unknown} */
                kind: 'proposal' | 'write' | 'patient' | 'range';
                patientId?: string;
                proposalId?: string;
                to?: string;
              };
              /** @enum {unknown} */
              status: 'open' | 'contained' | 'closed';
              summary: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}/containment/{proposalId}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approves a proposed rollback; the applier makes the compensating write (a reviewer at the site) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          proposalId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt?: string;
              containment: {
                decidedAt?: string;
                decidedBy?: string;
                /** @description the rollback’s outcome, or the stable error code it failed with */
                outcome?: string;
                proposalId: string;
                proposedAt: string;
                proposedBy: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'applied' | 'failed' | 'rejected';
              }[];
              discoveredAt: string;
              id: string;
              openedAt: string;
              openedBy: string;
              origin: {
                auditSeq?: number;
                from?: string;
                /** @enum {unknown} */
                kind: 'proposal' | 'write' | 'patient' | 'range';
                patientId?: string;
                proposalId?: string;
                to?: string;
              };
              /** @enum {unknown} */
              status: 'open' | 'contained' | 'closed';
              summary: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}/containment/{proposalId}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rejects a proposed rollback: the write stays (a reviewer at the site) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          proposalId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt?: string;
              containment: {
                decidedAt?: string;
                decidedBy?: string;
                /** @description the rollback’s outcome, or the stable error code it failed with */
                outcome?: string;
                proposalId: string;
                proposedAt: string;
                proposedBy: string;
                site: string;
                /** @enum {unknown} */
                status: 'proposed' | 'applied' | 'failed' | 'rejected';
              }[];
              discoveredAt: string;
              id: string;
              openedAt: string;
              openedBy: string;
              origin: {
                auditSeq?: number;
                from?: string;
                /** @enum {unknown} */
                kind: 'proposal' | 'write' | 'patient' | 'range';
                patientId?: string;
                proposalId?: string;
                to?: string;
              };
              /** @enum {unknown} */
              status: 'open' | 'contained' | 'closed';
              summary: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}/report': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The incident report: notification clock, patients, PHI accesses and writes, containment */
    get: {
      parameters: {
        query?: {
          format?: 'json' | 'markdown';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  clock: {
                    daysLeft: number;
                    discoveredAt: string;
                    individuals: number;
                    /** @description 500 or more individuals: HHS and the media are notified too */
                    largeBreach: boolean;
                    /** @description discovery + 60 days: the latest day to notify the individuals */
                    notifyBy: string;
                    overdue: boolean;
                  };
                  entries: {
                    actor: {
                      id: string;
                      kind: string;
                      name: string;
                    };
                    at: string;
                    entity?: {
                      id: string;
                      kind: string;
                      version?: number;
                    };
                    event: string;
                    fields?: string[];
                    /** @enum {unknown} */
                    kind: 'access' | 'write';
                    outcome: string;
                    patientIds: string[];
                    seq: number;
                    site?: string;
                  }[];
                  generatedAt: string;
                  incident: {
                    closedAt?: string;
                    containment: {
                      decidedAt?: string;
                      decidedBy?: string;
                      /** @description the rollback’s outcome, or the stable error code it failed with */
                      outcome?: string;
                      proposalId: string;
                      proposedAt: string;
                      proposedBy: string;
                      site: string;
                      /** @enum {unknown} */
                      status: 'proposed' | 'applied' | 'failed' | 'rejected';
                    }[];
                    discoveredAt: string;
                    id: string;
                    openedAt: string;
                    openedBy: string;
                    origin: {
                      auditSeq?: number;
                      from?: string;
                      /** @enum {unknown} */
                      kind: 'proposal' | 'write' | 'patient' | 'range';
                      patientId?: string;
                      proposalId?: string;
                      to?: string;
                    };
                    /** @enum {unknown} */
                    status: 'open' | 'contained' | 'closed';
                    summary: string;
                  };
                  patients: {
                    ehrRef?: string;
                    stewardId?: string;
                  }[];
                  proposals: {
                    action: string;
                    id: string;
                    patient: {
                      ehrRef?: string;
                      stewardId?: string;
                    };
                    site: string;
                    status: string;
                    target: string;
                  }[];
                  /** @description more audit entries matched than a report lists */
                  truncated: boolean;
                  window: {
                    from: string;
                    to: string;
                  };
                }
              | string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/arrivals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What became of an arrival: its file waiting to be read, being read, read (its documents) or unreadable (why). intake.upload at its site: who may bring a file may follow it; no PHI */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/arrivals/fhir': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A document from the EHR as a FHIR DocumentReference (attachment data inline, or by url to a Binary read from the named connection) or Binary */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the EHR connection (name or id) at the site to read an attachment's Binary from, when the DocumentReference's attachment is by url */
            connection?: string;
            resource: {
              [key: string]: unknown;
            };
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/arrivals/hl7': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A document from the EHR as an HL7 v2 MDM^T02 (the document in OBX-5, ED, Base64): the EHR interface's account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description an HL7 v2 MDM^T02 (ER7), the document in OBX-5 (ED, Base64) */
            message: string;
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The intake queue, newest change first: by state, type, confidence and completeness; patients by name where the reader may see names */
    get: {
      parameters: {
        query?: {
          complete?: 'true' | 'false';
          cursor?: string;
          limit?: string;
          maxConfidence?: string;
          minConfidence?: string;
          site?: string;
          /** @description states, comma-separated */
          state?: string;
          type?:
            | 'referral-letter'
            | 'intake-form'
            | 'insurance-card'
            | 'result'
            | 'consult-note'
            | 'records-request'
            | 'prior-authorization'
            | 'consent'
            | 'other';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @enum {unknown} */
                bestType:
                  | 'referral-letter'
                  | 'intake-form'
                  | 'insurance-card'
                  | 'result'
                  | 'consult-note'
                  | 'records-request'
                  | 'prior-authorization'
                  | 'consent'
                  | 'other';
                complete: boolean;
                confidence: number;
                fileId: string;
                handoffIds: string[];
                id: string;
                matchReason: string | null;
                missing: string[];
                outcomeDetail: string | null;
                pageCount: number;
                /** @description named where the reader may see names */
                patient?: {
                  birthDate?: string;
                  id: string;
                  name?: string;
                };
                proposalId: string | null;
                /** Format: date-time */
                receivedAt: string;
                referralId: string | null;
                referralReason: string | null;
                site: string;
                /** @enum {unknown} */
                source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
                type:
                  | (
                      | 'referral-letter'
                      | 'intake-form'
                      | 'insurance-card'
                      | 'result'
                      | 'consult-note'
                      | 'records-request'
                      | 'prior-authorization'
                      | 'consent'
                      | 'other'
                    )
                  | null;
                typeSetBy: ('classifier' | 'person') | null;
                /** Format: date-time */
                updatedAt: string;
              }[];
              next?: string;
              /** @description files at the caller's sites (the filter's site) received and not read yet: no documents so far */
              reading: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One document: what was read from it (fields, page text) beside its pages and how it got here (PHI: phi.read, audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivals: {
                by: string;
                detail?: string;
                id: string;
                /** @enum {unknown} */
                outcome: 'accepted' | 'duplicate' | 'unreadable';
                receivedAt: string;
                reference?: string;
                /** @enum {unknown} */
                source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              }[];
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              /** @description what was read from the page, as written (PHI) */
              fields: {
                birthDate?: string;
                documentDate?: string;
                fromName?: string;
                fromNpi?: string;
                fromOrganization?: string;
                memberId?: string;
                mrn?: string;
                patientFamily?: string;
                patientGiven?: string;
                signed?: boolean;
                subject?: string;
                toName?: string;
              };
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              modelVersion: string | null;
              outcomeDetail: string | null;
              pageCount: number;
              pages: {
                index: number;
                /** @enum {unknown} */
                source: 'text-layer' | 'ocr';
                text?: string;
                textConfidence: number;
              }[];
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** @description a referral the document answers (or may answer), in words */
              referral?: {
                destination: string | null;
                ended: boolean;
                id: string;
                service: string | null;
                stage: string;
                /** @description referral to <practice> (<service>), <stage> */
                words: string;
              };
              referralChoices?: {
                destination: string | null;
                ended: boolean;
                id: string;
                service: string | null;
                stage: string;
                /** @description referral to <practice> (<service>), <stage> */
                words: string;
              }[];
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              trail: {
                at: string;
                by: string;
                note?: string;
                state: string;
              }[];
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/candidates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The patients a person may name for a document: found by the MRN, member id, or name and birth date read on it, or by a value typed (intake.work; the index audits each search) */
    get: {
      parameters: {
        query?: {
          /** @description an MRN or member id as written, to search too */
          value?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                birthDate?: string;
                /** @enum {unknown} */
                foundBy: 'typed' | 'mrn' | 'member-id' | 'name-and-birth-date' | 'near-name-and-birth-date';
                id: string;
                name?: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/match': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Names the patient of a document waiting for one (a Steward patient id; intake.work, audited); it then goes on */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            patientId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              outcomeDetail: string | null;
              pageCount: number;
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/pages/{page}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of a document as a PNG, decrypted (PHI): phi.read at the document's site; each view audited naming the patient */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          page: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/referral': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Links a consult note or result to the referral it answers, or says it answers none (null) (intake.work, audited); a document waiting for its referral then goes on to filing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the referral the document answers (one of its patient's at its site), or null: it answers none */
            referral: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              outcomeDetail: string | null;
              pageCount: number;
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ends a document that is not to be filed, with a reason (intake.work, audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {unknown} */
            reason: 'duplicate' | 'not-for-this-clinic' | 'illegible' | 'wrong-recipient' | 'test' | 'other';
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              outcomeDetail: string | null;
              pageCount: number;
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Takes a document on again after its routing stopped on an error (intake.work, audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              outcomeDetail: string | null;
              pageCount: number;
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/documents/{id}/sort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sets the type of a document the classifier abstained on (intake.work, audited); it then goes on to matching and filing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {unknown} */
            type:
              | 'referral-letter'
              | 'intake-form'
              | 'insurance-card'
              | 'result'
              | 'consult-note'
              | 'records-request'
              | 'prior-authorization'
              | 'consent'
              | 'other';
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              bestType:
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other';
              complete: boolean;
              confidence: number;
              fileId: string;
              handoffIds: string[];
              id: string;
              matchReason: string | null;
              missing: string[];
              outcomeDetail: string | null;
              pageCount: number;
              /** @description named where the reader may see names */
              patient?: {
                birthDate?: string;
                id: string;
                name?: string;
              };
              proposalId: string | null;
              /** Format: date-time */
              receivedAt: string;
              referralId: string | null;
              referralReason: string | null;
              site: string;
              /** @enum {unknown} */
              source?: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
              /** @enum {unknown} */
              state:
                | 'needs-sorting'
                | 'needs-match'
                | 'needs-referral'
                | 'proposed-for-filing'
                | 'filed'
                | 'handed-off'
                | 'rejected';
              type:
                | (
                    | 'referral-letter'
                    | 'intake-form'
                    | 'insurance-card'
                    | 'result'
                    | 'consult-note'
                    | 'records-request'
                    | 'prior-authorization'
                    | 'consent'
                    | 'other'
                  )
                | null;
              typeSetBy: ('classifier' | 'person') | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/policies/{site}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The site's intake policy: which document types are filed without a person, above which confidence */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          site: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              autoFileTypes: (
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other'
              )[];
              confidenceFloor: number;
              intakePool: string;
              setAt?: string;
              setBy?: string;
              site: string;
              /** @description 0: none set (nothing is filed without a person) */
              version: number;
            };
          };
        };
      };
    };
    /** Sets the site's intake policy (intake.manage; versioned, audited) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          site: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description types filed without a person */
            autoFileTypes: (
              | 'referral-letter'
              | 'intake-form'
              | 'insurance-card'
              | 'result'
              | 'consult-note'
              | 'records-request'
              | 'prior-authorization'
              | 'consent'
              | 'other'
            )[];
            /** @description the classifier's calibrated confidence at or above which they are */
            confidenceFloor: number;
            /** @description the staff pool sort, match and incomplete handoffs go to */
            intakePool?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              autoFileTypes: (
                | 'referral-letter'
                | 'intake-form'
                | 'insurance-card'
                | 'result'
                | 'consult-note'
                | 'records-request'
                | 'prior-authorization'
                | 'consent'
                | 'other'
              )[];
              confidenceFloor: number;
              intakePool: string;
              setAt?: string;
              setBy?: string;
              site: string;
              /** @description 0: none set (nothing is filed without a person) */
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Uploads a document (PDF, TIFF, PNG or JPEG as base64): recorded and sealed, then read and routed by the reading worker (intake.upload at the site). 202 while it waits to be read: poll GET /intake/arrivals/{id} */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            data: string;
            fileName?: string;
            /** @enum {unknown} */
            mediaType?: 'application/pdf' | 'image/tiff' | 'image/png' | 'image/jpeg';
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/webhook-sources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Registers (or re-keys) a fax or e-mail provider's webhook source at a site, naming its egress destination; the secret is shown once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the provider's destination in the egress registry */
            destination: string;
            name: string;
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              destination: string;
              name: string;
              /** @description the shared secret (whsec_…), shown once: the provider signs with it (Standard Webhooks) */
              secret: string;
              site: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/intake/webhooks/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A provider delivers a document (Standard Webhooks signature: webhook-id, webhook-timestamp, webhook-signature). JSON body: {messageId, from?, mediaType?, data (base64)} */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              arrivalId: string;
              /** @description already received as file <id> on <date>; why a file could not be read */
              detail?: string;
              /** @description the documents found, once the file is read */
              documents: {
                id: string;
                /** @enum {unknown} */
                state:
                  | 'needs-sorting'
                  | 'needs-match'
                  | 'needs-referral'
                  | 'proposed-for-filing'
                  | 'filed'
                  | 'handed-off'
                  | 'rejected';
              }[];
              fileId: string;
              /** @enum {unknown} */
              outcome: 'accepted' | 'duplicate' | 'unreadable';
              /**
               * @description where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)
               * @enum {unknown}
               */
              reading: 'received' | 'reading' | 'read' | 'unreadable';
              /** @description the same in words: "received, waiting to be read", the reason it could not be read */
              readingNote: string;
              site: string;
              /** @enum {unknown} */
              source: 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The authenticated actor, its grants, what they allow where, and break-glass in force */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              authMethod: string;
              breakGlass: {
                /** Format: date-time */
                expiresAt: string;
                id: string;
                reason: string;
                site: string;
                /** Format: date-time */
                startedAt: string;
              }[];
              breakGlassEligible: boolean;
              grants: {
                id: string;
                purposeOfUse: string;
                role: string;
                site: string;
                workflow: string;
              }[];
              id: string;
              idleTimeoutSeconds?: number;
              kind: string;
              name: string;
              /** @description Each action the grants allow, with the sites where ("*" for every site) */
              permissions: {
                [key: string]: string[];
              };
              scopes?: string[];
              /** Format: date-time */
              serverTime: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patient-reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Open patient candidates to link or dismiss, at the sites the caller may read */
    get: {
      parameters: {
        query?: {
          limit?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                candidate: {
                  birthDate?: string;
                  /** @enum {unknown} */
                  gender?: 'female' | 'male' | 'other' | 'unknown';
                  id: string;
                  mergedIds: string[];
                  name?: {
                    family: string;
                    given: string[];
                  };
                  site: string;
                };
                /** Format: date-time */
                createdAt: string;
                id: string;
                patient: {
                  birthDate?: string;
                  /** @enum {unknown} */
                  gender?: 'female' | 'male' | 'other' | 'unknown';
                  id: string;
                  mergedIds: string[];
                  name?: {
                    family: string;
                    given: string[];
                  };
                  site: string;
                };
                /** @description why it is on the list, e.g. same-name-and-birth-date */
                reason: string;
                site: string;
                /** @enum {unknown} */
                status: 'open' | 'linked' | 'dismissed';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patient-reviews/{id}/dismiss': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The two are different people: the candidate is dismissed (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              candidate: {
                birthDate?: string;
                /** @enum {unknown} */
                gender?: 'female' | 'male' | 'other' | 'unknown';
                id: string;
                mergedIds: string[];
                name?: {
                  family: string;
                  given: string[];
                };
                site: string;
              };
              /** Format: date-time */
              createdAt: string;
              id: string;
              patient: {
                birthDate?: string;
                /** @enum {unknown} */
                gender?: 'female' | 'male' | 'other' | 'unknown';
                id: string;
                mergedIds: string[];
                name?: {
                  family: string;
                  given: string[];
                };
                site: string;
              };
              /** @description why it is on the list, e.g. same-name-and-birth-date */
              reason: string;
              site: string;
              /** @enum {unknown} */
              status: 'open' | 'linked' | 'dismissed';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patient-reviews/{id}/link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The two are one person: the new patient is retired into the candidate (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              candidate: {
                birthDate?: string;
                /** @enum {unknown} */
                gender?: 'female' | 'male' | 'other' | 'unknown';
                id: string;
                mergedIds: string[];
                name?: {
                  family: string;
                  given: string[];
                };
                site: string;
              };
              /** Format: date-time */
              createdAt: string;
              id: string;
              patient: {
                birthDate?: string;
                /** @enum {unknown} */
                gender?: 'female' | 'male' | 'other' | 'unknown';
                id: string;
                mergedIds: string[];
                name?: {
                  family: string;
                  given: string[];
                };
                site: string;
              };
              /** @description why it is on the list, e.g. same-name-and-birth-date */
              reason: string;
              site: string;
              /** @enum {unknown} */
              status: 'open' | 'linked' | 'dismissed';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patients': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find patients by exact identifier (system|value) */
    get: {
      parameters: {
        query: {
          identifier: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                birthDate: string;
                /** Format: date-time */
                createdAt: string;
                /** @enum {unknown} */
                gender?: 'female' | 'male' | 'other' | 'unknown';
                id: string;
                identifiers: {
                  system: string;
                  value: string;
                }[];
                name: {
                  family: string;
                  given: string[];
                };
                site: string;
                /** Format: date-time */
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a patient record */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            birthDate: string;
            /** @enum {unknown} */
            gender?: 'female' | 'male' | 'other' | 'unknown';
            identifiers: {
              system: string;
              value: string;
            }[];
            name: {
              family: string;
              given: string[];
            };
            site: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              birthDate: string;
              /** Format: date-time */
              createdAt: string;
              /** @enum {unknown} */
              gender?: 'female' | 'male' | 'other' | 'unknown';
              id: string;
              identifiers: {
                system: string;
                value: string;
              }[];
              name: {
                family: string;
                given: string[];
              };
              site: string;
              /** Format: date-time */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patients/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a patient record */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              birthDate: string;
              /** Format: date-time */
              createdAt: string;
              /** @enum {unknown} */
              gender?: 'female' | 'male' | 'other' | 'unknown';
              id: string;
              identifiers: {
                system: string;
                value: string;
              }[];
              name: {
                family: string;
                given: string[];
              };
              site: string;
              /** Format: date-time */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    /** Replace a patient record at a known version (If-Match required) */
    put: {
      parameters: {
        query?: never;
        header: {
          'if-match': string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            birthDate: string;
            /** @enum {unknown} */
            gender?: 'female' | 'male' | 'other' | 'unknown';
            identifiers: {
              system: string;
              value: string;
            }[];
            name: {
              family: string;
              given: string[];
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              birthDate: string;
              /** Format: date-time */
              createdAt: string;
              /** @enum {unknown} */
              gender?: 'female' | 'male' | 'other' | 'unknown';
              id: string;
              identifiers: {
                system: string;
                value: string;
              }[];
              name: {
                family: string;
                given: string[];
              };
              site: string;
              /** Format: date-time */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patients/{id}/contact-link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Link the patient to their person in the contact graph, as confirmed by the caller (audited) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            partyId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              linkedAt: string;
              linkedBy: string;
              partyId: string;
            };
          };
        };
      };
    };
    post?: never;
    /** Remove the patient's link to the contact graph (audited) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/patients/{id}/overview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One patient's page: referrals, follow-ups, proposals and recent EHR events (audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              asOf: string;
              contacts: {
                contacts: {
                  active: boolean;
                  authority: string[];
                  mayReceiveInformation: boolean;
                  party: {
                    id: string;
                    kind: 'person' | 'organization';
                    name: string;
                  };
                  relationshipId: string;
                  role: string;
                  type: string;
                  validFrom: string | null;
                  validTo: string | null;
                }[];
                link: {
                  linkedAt: string;
                  linkedBy: string;
                  name: string;
                  partyId: string;
                } | null;
                mayLink: boolean;
                suggestions:
                  | {
                      birthDate: string;
                      name: string;
                      partyId: string;
                      /** @enum {string} */
                      reason: 'same-name-and-birth-date';
                    }[]
                  | null;
              };
              events: {
                connectionId: string;
                id: string;
                kind: string;
                occurredAt: string;
                recordedAt: string;
                sourceRef: string;
                status: string | null;
                type: string;
              }[];
              followups: {
                appointmentRef: string | null;
                appointmentStart: string | null;
                confirmation: string | null;
                connectionId: string;
                correlationKey: string;
                counts: {
                  [key: string]: number;
                };
                createdAt: string;
                id: string;
                nextReminderAt: string | null;
                optedOut: boolean;
                orderRef: string;
                overdue: boolean;
                owner: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                proposals: number;
                service: string | null;
                site: string | null;
                stage: string;
                stageAt: string | null;
                status: string;
                updatedAt: string;
                window: {
                  end: string;
                  start: string;
                } | null;
              }[];
              mergedIds: string[];
              patient: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              proposals:
                | {
                    action: string;
                    createdAt: string;
                    dueAt: string | null;
                    id: string;
                    priority: number;
                    reasonCode: string;
                    status: string;
                    updatedAt: string;
                    workflow: string | null;
                  }[]
                | null;
              referrals: {
                appointment: string | null;
                awaiting: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
                connectionId: string | null;
                correlationKey: string;
                /** Format: date-time */
                createdAt: string;
                destination: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                dueAt: string | null;
                ending: {
                  by: string | null;
                  detail: string | null;
                  how: string;
                } | null;
                escalated: boolean;
                leaked: ('never-scheduled' | 'out-of-network' | 'cancelled') | null;
                overdue: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
                owner: string | null;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                proposalIds: string[];
                recognisedBy: {
                  description: string;
                  origin: string;
                  rule: string;
                } | null;
                requester: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                service: string | null;
                serviceRequest: string | null;
                site: string | null;
                /** @enum {unknown} */
                stage: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
                stageEnteredAt: string | null;
                /** @enum {unknown} */
                status: 'running' | 'completed' | 'failed';
                /** Format: date-time */
                updatedAt: string;
                workflowId: string;
              }[];
              site: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/pools': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Pools (a named group at a site) with their members by name */
    get: {
      parameters: {
        query?: {
          site?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                members: {
                  displayName: string;
                  title: string | null;
                  userId: string;
                  username: string;
                }[];
                pool: string;
                site: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/pools/{pool}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One pool and its members */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description e.g. north-coordinators */
          pool: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              members: {
                displayName: string;
                title: string | null;
                userId: string;
                username: string;
              }[];
              pool: string;
              site: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/proposals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The calling service's own proposals, by last change (pass `next` to follow what changes) */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          /** @description 1-200, default 50 */
          limit?: string;
          /** @description comma-separated outcomes */
          outcome?: string;
          /** @description changed at or after */
          since?: string;
          /** @description comma-separated statuses */
          status?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                /** Format: date-time */
                approvedAt?: string;
                baseVersion?: string;
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                /** Format: date-time */
                createdAt: string;
                draftKey?: string;
                id: string;
                lineageId: string;
                links: {
                  next?: string;
                  previous?: string;
                  self: string;
                };
                outcome: {
                  error?: {
                    code: string;
                    retryable: boolean;
                    willRetry: boolean;
                  };
                  /** @description conflicted or superseded: the revision that replaced this one */
                  nextId?: string;
                  /** @enum {unknown} */
                  outcome:
                    | 'pending-review'
                    | 'approved'
                    | 'rejected'
                    | 'written'
                    | 'verified'
                    | 'conflicted'
                    | 'superseded'
                    | 'rolled-back'
                    | 'failed';
                  /** @description rejected: the reviewer's reason; rolled-back: why it was undone */
                  reason?: string;
                  /** @description the proposal will not move again by itself */
                  settled: boolean;
                };
                reasonCode: string;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              }[];
              next?: string;
            };
          };
        };
      };
    };
    put?: never;
    /** Draft a proposal for review as an agent or automation service: 201 when drafted, 200 for a retry of the same draft key and content */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description an action type registered on this server
             * @enum {unknown}
             */
            action:
              | 'appointment.status'
              | 'task.create'
              | 'task.update'
              | 'service-request.status'
              | 'document-reference.draft'
              | 'communication.send'
              | 'reminder.send';
            /** @description the EHR version the payload is based on (updates) */
            baseVersion?: string;
            /** @description the EHR connection; required for EHR actions */
            connectionId?: string;
            /** @description idempotency key: a retry with the same key and content returns the same proposal (200); other content under it is refused (409) */
            draftKey: string;
            /** Format: date-time */
            dueAt?: string;
            /** @description why: at least one event id or resource reference */
            evidence: {
              /** @description EHR event ids (the journal's, or the events-out event made from one): each must be filed at the draft's site and of its patient, else 400 naming its index (evidence/eventIds/<i>) */
              eventIds?: string[];
              /** @description a short machine code (default outside-draft), never PHI */
              reasonCode?: string;
              /** @description FHIR references, like Appointment/123 */
              resources?: string[];
            };
            patient: {
              /** @description the patient's id in the EHR */
              ehrId: string;
              /** @description the patient's identifiers (MRN and another): at least two for an EHR write's wrong-chart guard */
              identifiers: {
                system: string;
                value: string;
              }[];
            };
            /** @description what would be written: a FHIR R4 resource for an EHR action, checked by the action's definition */
            payload: {
              [key: string]: unknown;
            };
            /** @description 1 most urgent; default 3 */
            priority?: number;
            /** @description the reasoning, shown to the reviewer (free text: may name the patient; sealed at rest) */
            rationale: string;
            site: string;
            target: {
              /** @description for an update; none for a create */
              id?: string;
              resourceType: string;
            };
            /** @description the workflow it drafts in: the grant must cover it (X-Steward-Workflow, if sent, must be the same) */
            workflow: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              /** Format: date-time */
              approvedAt?: string;
              baseVersion?: string;
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              /** Format: date-time */
              createdAt: string;
              draftKey?: string;
              id: string;
              lineageId: string;
              links: {
                next?: string;
                previous?: string;
                self: string;
              };
              outcome: {
                error?: {
                  code: string;
                  retryable: boolean;
                  willRetry: boolean;
                };
                /** @description conflicted or superseded: the revision that replaced this one */
                nextId?: string;
                /** @enum {unknown} */
                outcome:
                  | 'pending-review'
                  | 'approved'
                  | 'rejected'
                  | 'written'
                  | 'verified'
                  | 'conflicted'
                  | 'superseded'
                  | 'rolled-back'
                  | 'failed';
                /** @description rejected: the reviewer's reason; rolled-back: why it was undone */
                reason?: string;
                /** @description the proposal will not move again by itself */
                settled: boolean;
              };
              reasonCode: string;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              /** Format: date-time */
              approvedAt?: string;
              baseVersion?: string;
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              /** Format: date-time */
              createdAt: string;
              draftKey?: string;
              id: string;
              lineageId: string;
              links: {
                next?: string;
                previous?: string;
                self: string;
              };
              outcome: {
                error?: {
                  code: string;
                  retryable: boolean;
                  willRetry: boolean;
                };
                /** @description conflicted or superseded: the revision that replaced this one */
                nextId?: string;
                /** @enum {unknown} */
                outcome:
                  | 'pending-review'
                  | 'approved'
                  | 'rejected'
                  | 'written'
                  | 'verified'
                  | 'conflicted'
                  | 'superseded'
                  | 'rolled-back'
                  | 'failed';
                /** @description rejected: the reviewer's reason; rolled-back: why it was undone */
                reason?: string;
                /** @description the proposal will not move again by itself */
                settled: boolean;
              };
              reasonCode: string;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/proposals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A proposal with its outcome (pending-review, approved, rejected with the reason, written, verified, conflicted with the rebased revision, rolled-back, failed) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              /** Format: date-time */
              approvedAt?: string;
              baseVersion?: string;
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              /** Format: date-time */
              createdAt: string;
              draftKey?: string;
              id: string;
              lineageId: string;
              links: {
                next?: string;
                previous?: string;
                self: string;
              };
              outcome: {
                error?: {
                  code: string;
                  retryable: boolean;
                  willRetry: boolean;
                };
                /** @description conflicted or superseded: the revision that replaced this one */
                nextId?: string;
                /** @enum {unknown} */
                outcome:
                  | 'pending-review'
                  | 'approved'
                  | 'rejected'
                  | 'written'
                  | 'verified'
                  | 'conflicted'
                  | 'superseded'
                  | 'rolled-back'
                  | 'failed';
                /** @description rejected: the reviewer's reason; rolled-back: why it was undone */
                reason?: string;
                /** @description the proposal will not move again by itself */
                settled: boolean;
              };
              reasonCode: string;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The store and the audit log answer */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              status: string;
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              status: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/referrals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Referrals, what needs action first (overdue, most overdue first; then soonest due; ended last): stage, due time, overdue, escalation, leakage; page by cursor */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          /** @description true: leaked for any reason; false: not leaked; or one reason */
          leaked?: 'true' | 'false' | 'never-scheduled' | 'out-of-network' | 'cancelled';
          /** @description 1-200, default 50 */
          limit?: string;
          overdue?: 'true' | 'false';
          site?: string;
          stage?: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                appointment: string | null;
                awaiting: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
                connectionId: string | null;
                correlationKey: string;
                /** Format: date-time */
                createdAt: string;
                destination: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                dueAt: string | null;
                ending: {
                  by: string | null;
                  detail: string | null;
                  how: string;
                } | null;
                escalated: boolean;
                leaked: ('never-scheduled' | 'out-of-network' | 'cancelled') | null;
                overdue: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
                owner: string | null;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                proposalIds: string[];
                recognisedBy: {
                  description: string;
                  origin: string;
                  rule: string;
                } | null;
                requester: {
                  entryId: string | null;
                  kind: string;
                  name: string | null;
                  network: ('in' | 'out') | null;
                  organization: string | null;
                  reference: string | null;
                  service: string | null;
                  /** @enum {unknown} */
                  status: 'resolved' | 'unresolved';
                } | null;
                service: string | null;
                serviceRequest: string | null;
                site: string | null;
                /** @enum {unknown} */
                stage: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
                stageEnteredAt: string | null;
                /** @enum {unknown} */
                status: 'running' | 'completed' | 'failed';
                /** Format: date-time */
                updatedAt: string;
                workflowId: string;
              }[];
              next?: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/referrals/{workflowId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One referral: its stages with times and the events, timers and proposals behind them */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          workflowId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: string | null;
              appointmentInNetwork: boolean | null;
              appointmentStart: string | null;
              awaiting: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
              connectionId: string | null;
              correlationKey: string;
              /** Format: date-time */
              createdAt: string;
              destination: {
                entryId: string | null;
                kind: string;
                name: string | null;
                network: ('in' | 'out') | null;
                organization: string | null;
                reference: string | null;
                service: string | null;
                /** @enum {unknown} */
                status: 'resolved' | 'unresolved';
              } | null;
              due: {
                [key: string]: string;
              };
              dueAt: string | null;
              endedAt: string | null;
              ending: {
                by: string | null;
                detail: string | null;
                how: string;
              } | null;
              escalated: boolean;
              history: {
                at: string;
                eventId: string | null;
                eventType: string | null;
                /** @enum {unknown} */
                input: 'start' | 'signal' | 'timer' | 'effect';
                name: string;
                occurredAt: string | null;
                proposalId: string | null;
                resource: string | null;
                status: string | null;
                step: number;
                tag: string | null;
              }[];
              leaked: ('never-scheduled' | 'out-of-network' | 'cancelled') | null;
              missedAppointments: number;
              overdue: ('sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed') | null;
              owner: string | null;
              patientLabel?: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              performerInNetwork: boolean | null;
              performers: {
                kind: string;
                ref: string | null;
              }[];
              priority: string | null;
              proposalIds: string[];
              proposals: {
                action: string;
                proposalId: string | null;
                revisedTo: string | null;
                stage: string;
                status: string | null;
                tag: string;
              }[];
              recognisedBy: {
                description: string;
                origin: string;
                rule: string;
              } | null;
              requestCompleted: boolean;
              requester: {
                entryId: string | null;
                kind: string;
                name: string | null;
                network: ('in' | 'out') | null;
                organization: string | null;
                reference: string | null;
                service: string | null;
                /** @enum {unknown} */
                status: 'resolved' | 'unresolved';
              } | null;
              service: string | null;
              serviceRequest: string | null;
              site: string | null;
              /** @enum {unknown} */
              stage: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
              stageEnteredAt: string | null;
              stages: {
                at: string;
                /** @enum {unknown} */
                change: 'entered' | 'back' | 'ended';
                eventId: string | null;
                eventType: string | null;
                resource: string | null;
                /** @enum {unknown} */
                stage: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
              }[];
              /** @enum {unknown} */
              status: 'running' | 'completed' | 'failed';
              /** Format: date-time */
              updatedAt: string;
              workflowId: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reports/followups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Follow-up figures: counts by stage, time in stage, overdue, no-show and fulfilled rates */
    get: {
      parameters: {
        query: {
          since?: string;
          site: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              booked: number;
              byStage: {
                finished: number;
                maxHoursInStage: number | null;
                meanHoursInStage: number | null;
                open: number;
                stage: string;
              }[];
              cancellations: number;
              fulfilledRate: number | null;
              noShowRate: number | null;
              noShows: number;
              open: number;
              optedOut: number;
              overdue: number;
              remindersProposed: number;
              since: string | null;
              site: string | null;
              source:
                | {
                    /** @enum {string} */
                    database: 'primary';
                  }
                | {
                    /** @description the replica had replayed all it received (an idle primary sends nothing, so lag grows) */
                    caughtUp: boolean;
                    dataAsOf: string | null;
                    /** @enum {string} */
                    database: 'replica';
                    lagSeconds: number | null;
                    /** @description false: the setting names a server that is not a standby (live data) */
                    standby: boolean;
                  };
              total: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reports/operations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Operations figures: referral closure and leakage by week, time in stage, no-shows, throughput, queue age */
    get: {
      parameters: {
        query?: {
          /** @description inclusive; default 12 weeks before to */
          from?: string;
          site?: string;
          /** @description exclusive; default now */
          to?: string;
          /** @description IANA time zone for weeks and hours of day; default: the zone of the site when it has a record, else UTC */
          zone?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              from: string;
              /** Format: date-time */
              generatedAt: string;
              noShows:
                | {
                    booked: number;
                    followups: number;
                    noShows: number;
                    rate: number | null;
                    serviceLine: string;
                  }[]
                | null;
              queueAge:
                | {
                    from1to3d: number;
                    from1to4h: number;
                    from4to24h: number;
                    over3d: number;
                    priority: number;
                    total: number;
                    under1h: number;
                  }[]
                | null;
              referralWeeks:
                | {
                    closed: number;
                    closureRate: number | null;
                    leakageRate: number | null;
                    leaked: number;
                    started: number;
                    /** @description the Monday starting the week, YYYY-MM-DD in the zone */
                    week: string;
                  }[]
                | null;
              site: string | null;
              source:
                | {
                    /** @enum {string} */
                    database: 'primary';
                  }
                | {
                    /** @description the replica had replayed all it received (an idle primary sends nothing, so lag grows) */
                    caughtUp: boolean;
                    dataAsOf: string | null;
                    /** @enum {string} */
                    database: 'replica';
                    lagSeconds: number | null;
                    /** @description false: the setting names a server that is not a standby (live data) */
                    standby: boolean;
                  };
              throughput:
                | {
                    autoApproved: number;
                    committed: number;
                    hour: number;
                    reviewed: number;
                  }[]
                | null;
              timeInStage:
                | {
                    count: number;
                    medianHours: number | null;
                    p90Hours: number | null;
                    /** @enum {unknown} */
                    stage: 'sent' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'reported' | 'closed';
                  }[]
                | null;
              /** Format: date-time */
              to: string;
              withheld: ('phi.search' | 'review.read')[];
              zone: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reports/referrals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Referral figures for referrals started since a time: stages, time in stage, closure, leakage */
    get: {
      parameters: {
        query?: {
          /** @description ISO 8601 instant with offset */
          since?: string;
          site?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              byStage: {
                accepted: number;
                attended: number;
                closed: number;
                received: number;
                reported: number;
                scheduled: number;
                sent: number;
              };
              closed: number;
              closureRate: number | null;
              escalated: number;
              leakage: {
                byReason: {
                  cancelled: {
                    count: number;
                    rate: number | null;
                  };
                  'never-scheduled': {
                    count: number;
                    rate: number | null;
                  };
                  'out-of-network': {
                    count: number;
                    rate: number | null;
                  };
                };
                count: number;
                rate: number | null;
              };
              overdue: number;
              since: string | null;
              site: string | null;
              source:
                | {
                    /** @enum {string} */
                    database: 'primary';
                  }
                | {
                    /** @description the replica had replayed all it received (an idle primary sends nothing, so lag grows) */
                    caughtUp: boolean;
                    dataAsOf: string | null;
                    /** @enum {string} */
                    database: 'replica';
                    lagSeconds: number | null;
                    /** @description false: the setting names a server that is not a standby (live data) */
                    standby: boolean;
                  };
              timeInStage: {
                accepted: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                attended: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                closed: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                received: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                reported: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                scheduled: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
                sent: {
                  count: number;
                  medianHours: number | null;
                  p90Hours: number | null;
                };
              };
              total: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/holds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Legal holds, active ones first (reading them is audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                caseRef?: string;
                id: string;
                patient?: {
                  ehrId?: string;
                  identifiers?: {
                    system: string;
                    value: string;
                  }[];
                  stewardId?: string;
                };
                placedAt: string;
                placedBy: string;
                reason: string;
                releasedAt?: string;
                releasedBy?: string;
                /** @enum {unknown} */
                scope: 'patient' | 'case';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Places a legal hold: a patient's data is kept, or (a case) every purge is suspended */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            caseRef?: string;
            patient?: {
              ehrId?: string;
              identifiers?: {
                system: string;
                value: string;
              }[];
              stewardId?: string;
            };
            reason: string;
            /** @enum {unknown} */
            scope: 'patient' | 'case';
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              caseRef?: string;
              id: string;
              patient?: {
                ehrId?: string;
                identifiers?: {
                  system: string;
                  value: string;
                }[];
                stewardId?: string;
              };
              placedAt: string;
              placedBy: string;
              reason: string;
              releasedAt?: string;
              releasedBy?: string;
              /** @enum {unknown} */
              scope: 'patient' | 'case';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/holds/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Releases a legal hold: what it kept is purged by the next run when expired */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              caseRef?: string;
              id: string;
              patient?: {
                ehrId?: string;
                identifiers?: {
                  system: string;
                  value: string;
                }[];
                stewardId?: string;
              };
              placedAt: string;
              placedBy: string;
              reason: string;
              releasedAt?: string;
              releasedBy?: string;
              /** @enum {unknown} */
              scope: 'patient' | 'case';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/policies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The retention period in force per kind of stored data (the audit log: six years by default) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @enum {unknown} */
                kind:
                  | 'ehr-messages'
                  | 'message-bodies'
                  | 'contact-notes'
                  | 'exports'
                  | 'screenshots'
                  | 'run-artefacts'
                  | 'event-dead-letters'
                  | 'events-out'
                  | 'intake-documents'
                  | 'audit-log';
                /** @description days kept; absent: kept without limit */
                periodDays?: number;
                setAt?: string;
                setBy?: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/policies/{kind}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Sets a kind's retention period as a new version (expectedVersion: the version you saw) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          kind:
            | 'ehr-messages'
            | 'message-bodies'
            | 'contact-notes'
            | 'exports'
            | 'screenshots'
            | 'run-artefacts'
            | 'event-dead-letters'
            | 'events-out'
            | 'intake-documents'
            | 'audit-log';
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            expectedVersion?: number;
            periodDays: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {unknown} */
              kind:
                | 'ehr-messages'
                | 'message-bodies'
                | 'contact-notes'
                | 'exports'
                | 'screenshots'
                | 'run-artefacts'
                | 'event-dead-letters'
                | 'events-out'
                | 'intake-documents'
                | 'audit-log';
              /** @description days kept; absent: kept without limit */
              periodDays?: number;
              setAt?: string;
              setBy?: string;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/policies/{kind}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of one kind's retention policy, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          kind:
            | 'ehr-messages'
            | 'message-bodies'
            | 'contact-notes'
            | 'exports'
            | 'screenshots'
            | 'run-artefacts'
            | 'event-dead-letters'
            | 'events-out'
            | 'intake-documents'
            | 'audit-log';
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @enum {unknown} */
                kind:
                  | 'ehr-messages'
                  | 'message-bodies'
                  | 'contact-notes'
                  | 'exports'
                  | 'screenshots'
                  | 'run-artefacts'
                  | 'event-dead-letters'
                  | 'events-out'
                  | 'intake-documents'
                  | 'audit-log';
                /** @description days kept; absent: kept without limit */
                periodDays?: number;
                setAt?: string;
                setBy?: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/retention/purge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Runs a purge now: deletes what the policies say expired, keeps what legal holds name */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              at: string;
              caseHolds: number;
              kinds: {
                /** @description rows stored before this instant were expired */
                before?: string;
                deleted: number;
                kept: number;
                /** @enum {unknown} */
                kind:
                  | 'ehr-messages'
                  | 'message-bodies'
                  | 'contact-notes'
                  | 'exports'
                  | 'screenshots'
                  | 'run-artefacts'
                  | 'event-dead-letters'
                  | 'events-out'
                  | 'intake-documents'
                  | 'audit-log';
                /** @description the per-run limit was reached: the next run deletes more */
                more: boolean;
                /** @enum {unknown} */
                outcome: 'purged' | 'no-policy' | 'not-stored' | 'never-purged' | 'suspended';
                periodDays?: number;
              }[];
              patientHolds: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The review queue: most urgent first, then due time; filter and page by cursor */
    get: {
      parameters: {
        query?: {
          /** @description an action type registered on this server */
          actionType?:
            | 'appointment.status'
            | 'task.create'
            | 'task.update'
            | 'service-request.status'
            | 'document-reference.draft'
            | 'communication.send'
            | 'reminder.send';
          assignee?: string;
          cursor?: string;
          /** @description 1-200, default 50 */
          limit?: string;
          patientId?: string;
          /** @description a FHIR token, system|value (the MRN and its system) */
          patientIdentifier?: string;
          site?: string;
          /** @description comma-separated; default pending_review */
          status?: string;
          workflow?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              }[];
              next?: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A proposal opened for review: payload, patient, evidence, conflict diff, history (audited read) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
              /** Format: date-time */
              approvedAt?: string;
              approvedBy?: {
                id: string;
                kind: string;
                name?: string;
              };
              assigneeId?: string;
              assigneeName?: string;
              baseVersion?: string;
              change?: {
                lines: string[];
                title: string;
              };
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              correlationId?: string;
              /** Format: date-time */
              createdAt: string;
              diff?: {
                [key: string]: unknown;
              };
              draftedBy: {
                id: string;
                kind: string;
                name?: string;
              };
              draftedOutside?: boolean;
              /** Format: date-time */
              dueAt?: string;
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              evidence: {
                [key: string]: unknown;
              };
              form: {
                help?: string;
                /** @enum {unknown} */
                kind: 'text' | 'long-text' | 'choice' | 'date-time';
                label: string;
                options?: string[];
                /** @description slash-separated path in the payload, e.g. note/0/text */
                path: string;
              }[];
              history: {
                actor: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                /** Format: date-time */
                at: string;
                from?: string;
                reasonCode?: string;
                revision: number;
                seq: number;
                to: string;
              }[];
              id: string;
              irreversibleReason?: string;
              lineageId: string;
              patient: {
                [key: string]: unknown;
              };
              patientId?: string;
              patientLabel?: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              payload: {
                [key: string]: unknown;
              };
              policyVersion?: number;
              priority: number;
              rationale?: string;
              reasonCode: string;
              rejection?: string;
              rendering: {
                lines: string[];
                title: string;
              };
              reversible: boolean;
              revision: number;
              rollbackReason?: string;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve exactly the content with this hash, then commit it (412 if the content is not what was seen) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description SHA-256, hex */
            contentHash: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              next?: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              proposal: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/assign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign a proposal to a reviewer, or unassign it with null */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
              /** Format: date-time */
              approvedAt?: string;
              approvedBy?: {
                id: string;
                kind: string;
                name?: string;
              };
              assigneeId?: string;
              assigneeName?: string;
              baseVersion?: string;
              change?: {
                lines: string[];
                title: string;
              };
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              correlationId?: string;
              /** Format: date-time */
              createdAt: string;
              draftedBy: {
                id: string;
                kind: string;
                name?: string;
              };
              draftedOutside?: boolean;
              /** Format: date-time */
              dueAt?: string;
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              id: string;
              irreversibleReason?: string;
              lineageId: string;
              patientId?: string;
              patientLabel?: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              policyVersion?: number;
              priority: number;
              reasonCode: string;
              reversible: boolean;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/edit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the payload: a new revision, pending review by someone else */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            payload: {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
              /** Format: date-time */
              approvedAt?: string;
              approvedBy?: {
                id: string;
                kind: string;
                name?: string;
              };
              assigneeId?: string;
              assigneeName?: string;
              baseVersion?: string;
              change?: {
                lines: string[];
                title: string;
              };
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              correlationId?: string;
              /** Format: date-time */
              createdAt: string;
              draftedBy: {
                id: string;
                kind: string;
                name?: string;
              };
              draftedOutside?: boolean;
              /** Format: date-time */
              dueAt?: string;
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              id: string;
              irreversibleReason?: string;
              lineageId: string;
              patientId?: string;
              patientLabel?: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              policyVersion?: number;
              priority: number;
              reasonCode: string;
              reversible: boolean;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/ehr-state': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The EHR's current state beside a proposal: its target, the patient, the evidence (read live; audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              evidence: {
                missing?: string;
                reference: string;
                resource?: {
                  [key: string]: unknown;
                };
                versionId?: string;
              }[];
              patient?: {
                missing?: string;
                reference: string;
                resource?: {
                  [key: string]: unknown;
                };
                versionId?: string;
              };
              proposalId: string;
              /** Format: date-time */
              readAt: string;
              target?: {
                missing?: string;
                reference: string;
                resource?: {
                  [key: string]: unknown;
                };
                versionId?: string;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a proposal, with a reason (sealed: it may mention the patient) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the action type (built-in or an extension’s) */
              action: string;
              allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
              /** Format: date-time */
              approvedAt?: string;
              approvedBy?: {
                id: string;
                kind: string;
                name?: string;
              };
              assigneeId?: string;
              assigneeName?: string;
              baseVersion?: string;
              change?: {
                lines: string[];
                title: string;
              };
              committed?: {
                id?: string;
                version?: string;
              };
              connectionId?: string;
              contentHash: string;
              correlationId?: string;
              /** Format: date-time */
              createdAt: string;
              draftedBy: {
                id: string;
                kind: string;
                name?: string;
              };
              draftedOutside?: boolean;
              /** Format: date-time */
              dueAt?: string;
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              id: string;
              irreversibleReason?: string;
              lineageId: string;
              patientId?: string;
              patientLabel?: {
                /** @description YYYY-MM-DD */
                birthDate?: string;
                id: string;
                /** @description masked: the last four characters only */
                mrn?: string;
                /** @description Family, Given */
                name?: string;
              };
              policyVersion?: number;
              priority: number;
              reasonCode: string;
              reversible: boolean;
              revision: number;
              site: string;
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
              supersededBy?: string;
              supersedes?: string;
              target: {
                id?: string;
                resourceType: string;
              };
              /** Format: date-time */
              updatedAt: string;
              workflow?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Commit again a proposal that failed for a passing reason (same content, same approval; 409 if not the content seen) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the content seen (SHA-256, hex) */
            contentHash?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              next?: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              proposal: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/{id}/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Undo a committed change with a compensating write, saying why (refused, with the reason, when irreversible) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              error?: {
                attempts?: number;
                code: string;
                exhausted?: boolean;
                message?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                retryable: boolean;
              };
              next?: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              proposal: {
                /** @description the action type (built-in or an extension’s) */
                action: string;
                allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                /** Format: date-time */
                approvedAt?: string;
                approvedBy?: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                assigneeId?: string;
                assigneeName?: string;
                baseVersion?: string;
                change?: {
                  lines: string[];
                  title: string;
                };
                committed?: {
                  id?: string;
                  version?: string;
                };
                connectionId?: string;
                contentHash: string;
                correlationId?: string;
                /** Format: date-time */
                createdAt: string;
                draftedBy: {
                  id: string;
                  kind: string;
                  name?: string;
                };
                draftedOutside?: boolean;
                /** Format: date-time */
                dueAt?: string;
                error?: {
                  attempts?: number;
                  code: string;
                  exhausted?: boolean;
                  message?: string;
                  /** Format: date-time */
                  nextAttemptAt?: string;
                  retryable: boolean;
                };
                id: string;
                irreversibleReason?: string;
                lineageId: string;
                patientId?: string;
                patientLabel?: {
                  /** @description YYYY-MM-DD */
                  birthDate?: string;
                  id: string;
                  /** @description masked: the last four characters only */
                  mrn?: string;
                  /** @description Family, Given */
                  name?: string;
                };
                policyVersion?: number;
                priority: number;
                reasonCode: string;
                reversible: boolean;
                revision: number;
                site: string;
                /** @enum {unknown} */
                status:
                  | 'drafted'
                  | 'pending_review'
                  | 'approved'
                  | 'rejected'
                  | 'committed'
                  | 'verified'
                  | 'conflicted'
                  | 'failed'
                  | 'rolled_back'
                  | 'superseded';
                supersededBy?: string;
                supersedes?: string;
                target: {
                  id?: string;
                  resourceType: string;
                };
                /** Format: date-time */
                updatedAt: string;
                workflow?: string;
              };
              /** @enum {unknown} */
              status:
                | 'drafted'
                | 'pending_review'
                | 'approved'
                | 'rejected'
                | 'committed'
                | 'verified'
                | 'conflicted'
                | 'failed'
                | 'rolled_back'
                | 'superseded';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/review/bulk-approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve up to 100 reversible proposals, each bound to the hash seen, then commit each */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            items: {
              contentHash: string;
              id: string;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              results: {
                error?: {
                  code: string;
                  message: string;
                };
                id: string;
                outcome?: {
                  error?: {
                    attempts?: number;
                    code: string;
                    exhausted?: boolean;
                    message?: string;
                    /** Format: date-time */
                    nextAttemptAt?: string;
                    retryable: boolean;
                  };
                  next?: {
                    /** @description the action type (built-in or an extension’s) */
                    action: string;
                    allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                    /** Format: date-time */
                    approvedAt?: string;
                    approvedBy?: {
                      id: string;
                      kind: string;
                      name?: string;
                    };
                    assigneeId?: string;
                    assigneeName?: string;
                    baseVersion?: string;
                    change?: {
                      lines: string[];
                      title: string;
                    };
                    committed?: {
                      id?: string;
                      version?: string;
                    };
                    connectionId?: string;
                    contentHash: string;
                    correlationId?: string;
                    /** Format: date-time */
                    createdAt: string;
                    draftedBy: {
                      id: string;
                      kind: string;
                      name?: string;
                    };
                    draftedOutside?: boolean;
                    /** Format: date-time */
                    dueAt?: string;
                    error?: {
                      attempts?: number;
                      code: string;
                      exhausted?: boolean;
                      message?: string;
                      /** Format: date-time */
                      nextAttemptAt?: string;
                      retryable: boolean;
                    };
                    id: string;
                    irreversibleReason?: string;
                    lineageId: string;
                    patientId?: string;
                    patientLabel?: {
                      /** @description YYYY-MM-DD */
                      birthDate?: string;
                      id: string;
                      /** @description masked: the last four characters only */
                      mrn?: string;
                      /** @description Family, Given */
                      name?: string;
                    };
                    policyVersion?: number;
                    priority: number;
                    reasonCode: string;
                    reversible: boolean;
                    revision: number;
                    site: string;
                    /** @enum {unknown} */
                    status:
                      | 'drafted'
                      | 'pending_review'
                      | 'approved'
                      | 'rejected'
                      | 'committed'
                      | 'verified'
                      | 'conflicted'
                      | 'failed'
                      | 'rolled_back'
                      | 'superseded';
                    supersededBy?: string;
                    supersedes?: string;
                    target: {
                      id?: string;
                      resourceType: string;
                    };
                    /** Format: date-time */
                    updatedAt: string;
                    workflow?: string;
                  };
                  proposal: {
                    /** @description the action type (built-in or an extension’s) */
                    action: string;
                    allowedActions?: ('approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry')[];
                    /** Format: date-time */
                    approvedAt?: string;
                    approvedBy?: {
                      id: string;
                      kind: string;
                      name?: string;
                    };
                    assigneeId?: string;
                    assigneeName?: string;
                    baseVersion?: string;
                    change?: {
                      lines: string[];
                      title: string;
                    };
                    committed?: {
                      id?: string;
                      version?: string;
                    };
                    connectionId?: string;
                    contentHash: string;
                    correlationId?: string;
                    /** Format: date-time */
                    createdAt: string;
                    draftedBy: {
                      id: string;
                      kind: string;
                      name?: string;
                    };
                    draftedOutside?: boolean;
                    /** Format: date-time */
                    dueAt?: string;
                    error?: {
                      attempts?: number;
                      code: string;
                      exhausted?: boolean;
                      message?: string;
                      /** Format: date-time */
                      nextAttemptAt?: string;
                      retryable: boolean;
                    };
                    id: string;
                    irreversibleReason?: string;
                    lineageId: string;
                    patientId?: string;
                    patientLabel?: {
                      /** @description YYYY-MM-DD */
                      birthDate?: string;
                      id: string;
                      /** @description masked: the last four characters only */
                      mrn?: string;
                      /** @description Family, Given */
                      name?: string;
                    };
                    policyVersion?: number;
                    priority: number;
                    reasonCode: string;
                    reversible: boolean;
                    revision: number;
                    site: string;
                    /** @enum {unknown} */
                    status:
                      | 'drafted'
                      | 'pending_review'
                      | 'approved'
                      | 'rejected'
                      | 'committed'
                      | 'verified'
                      | 'conflicted'
                      | 'failed'
                      | 'rolled_back'
                      | 'superseded';
                    supersededBy?: string;
                    supersedes?: string;
                    target: {
                      id?: string;
                      resourceType: string;
                    };
                    /** Format: date-time */
                    updatedAt: string;
                    workflow?: string;
                  };
                  /** @enum {unknown} */
                  status:
                    | 'drafted'
                    | 'pending_review'
                    | 'approved'
                    | 'rejected'
                    | 'committed'
                    | 'verified'
                    | 'conflicted'
                    | 'failed'
                    | 'rolled_back'
                    | 'superseded';
                };
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/rotas/{site}/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A site's on-call rota: shifts of staff by name */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description e.g. north-desk */
          name: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              name: string;
              shifts: {
                /** Format: date-time */
                end: string;
                /** Format: date-time */
                start: string;
                user: {
                  displayName: string;
                  title: string | null;
                  userId: string;
                  username: string;
                };
              }[];
              site: string;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              version: number;
            };
          };
        };
      };
    };
    /** Replace a site's on-call rota (staff.manage, audited); the shift starting last covers an overlap */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description e.g. north-desk */
          name: string;
          site: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            expectedVersion?: number;
            shifts: {
              /** Format: date-time */
              end: string;
              /** Format: date-time */
              start: string;
              /** @description a user id or username */
              user: string;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              name: string;
              shifts: {
                /** Format: date-time */
                end: string;
                /** Format: date-time */
                start: string;
                user: {
                  displayName: string;
                  title: string | null;
                  userId: string;
                  username: string;
                };
              }[];
              site: string;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/service-accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List service accounts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: date-time */
                createdAt: string;
                disabledAt: string | null;
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a service account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              createdAt: string;
              disabledAt: string | null;
              id: string;
              name: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              createdAt: string;
              disabledAt: string | null;
              id: string;
              name: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/service-accounts/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a service account and revoke its tokens */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/service-accounts/{id}/smart': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A service account's SMART Backend Services registration (public keys only) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              clientId: string;
              jwksUrl: string | null;
              keys: {
                alg?: string;
                crv?: string;
                kid: string;
                kty: string;
              }[];
              scopes: string[];
              serviceAccount: string;
              /** Format: date-time */
              setAt: string;
              setBy: string;
              tokenEndpoint: string;
            };
          };
        };
      };
    };
    /** Register (or replace) a service account for SMART Backend Services: its public key set or JWKS URL, and the scopes it may be granted */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            jwks?: {
              keys: ({
                alg?: string;
                kid: string;
                kty: string;
                use?: string;
              } & {
                [key: string]: unknown;
              })[];
            };
            /** @description under a registered egress destination */
            jwksUrl?: string;
            scopes: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              clientId: string;
              jwksUrl: string | null;
              keys: {
                alg?: string;
                crv?: string;
                kid: string;
                kty: string;
              }[];
              scopes: string[];
              serviceAccount: string;
              /** Format: date-time */
              setAt: string;
              setBy: string;
              tokenEndpoint: string;
            };
          };
        };
      };
    };
    post?: never;
    /** End SMART Backend Services sign-in for a service account (tokens already issued run out by themselves) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/site-zones': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The time zone of each site the caller holds a grant at (every site for `*`): how the console shows times in the site's zone */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description The zone for all sites at once, or a site with neither (America/New_York) */
              fallback: string;
              items: {
                site: string;
                /** @description IANA zone: the site's record, else its EHR connection's facility zone */
                zone: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/sites': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The configured sites, and the sites grants or connections name without a record (not configured) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** @description false: referenced by grants or connections, without a site record */
                configured: boolean;
                id: string;
                referencedBy: ('grants' | 'connections')[];
                site: {
                  businessHours: {
                    fri: {
                      close: string;
                      open: string;
                    } | null;
                    mon: {
                      close: string;
                      open: string;
                    } | null;
                    sat: {
                      close: string;
                      open: string;
                    } | null;
                    sun: {
                      close: string;
                      open: string;
                    } | null;
                    thu: {
                      close: string;
                      open: string;
                    } | null;
                    tue: {
                      close: string;
                      open: string;
                    } | null;
                    wed: {
                      close: string;
                      open: string;
                    } | null;
                  };
                  /** Format: date-time */
                  createdAt: string;
                  createdBy: string;
                  ehrRefs: string[];
                  escalationContacts: string[];
                  holidays: string[];
                  id: string;
                  name: string;
                  ownerPool: string | null;
                  quietHours: {
                    end: string;
                    start: string;
                  } | null;
                  /** Format: date-time */
                  updatedAt: string;
                  updatedBy: string;
                  updatedByName?: string;
                  version: number;
                  zone: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Configure a site: name and IANA zone required; hours Mon–Fri 08:00–17:00 and quiet 20:00–08:00 unless given */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description per weekday: open and close, or null (closed); days left out keep their hours */
            businessHours?: {
              fri?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              mon?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              sat?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              sun?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              thu?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              tue?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              wed?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
            };
            /** @description EHR organizations and locations (Organization/1) */
            ehrRefs?: string[];
            escalationContacts?: string[];
            /** @description replaces the list */
            holidays?: string[];
            id: string;
            name?: string;
            ownerPool?: string | null;
            quietHours?: {
              /** @description HH:mm */
              end: string;
              /** @description HH:mm */
              start: string;
            } | null;
            /** @description IANA time zone, e.g. America/Los_Angeles */
            zone?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              businessHours: {
                fri: {
                  close: string;
                  open: string;
                } | null;
                mon: {
                  close: string;
                  open: string;
                } | null;
                sat: {
                  close: string;
                  open: string;
                } | null;
                sun: {
                  close: string;
                  open: string;
                } | null;
                thu: {
                  close: string;
                  open: string;
                } | null;
                tue: {
                  close: string;
                  open: string;
                } | null;
                wed: {
                  close: string;
                  open: string;
                } | null;
              };
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              ehrRefs: string[];
              escalationContacts: string[];
              holidays: string[];
              id: string;
              name: string;
              ownerPool: string | null;
              quietHours: {
                end: string;
                start: string;
              } | null;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              updatedByName?: string;
              version: number;
              zone: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/sites/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One site: its record, or a referenced site not configured yet */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description false: referenced by grants or connections, without a site record */
              configured: boolean;
              id: string;
              referencedBy: ('grants' | 'connections')[];
              site: {
                businessHours: {
                  fri: {
                    close: string;
                    open: string;
                  } | null;
                  mon: {
                    close: string;
                    open: string;
                  } | null;
                  sat: {
                    close: string;
                    open: string;
                  } | null;
                  sun: {
                    close: string;
                    open: string;
                  } | null;
                  thu: {
                    close: string;
                    open: string;
                  } | null;
                  tue: {
                    close: string;
                    open: string;
                  } | null;
                  wed: {
                    close: string;
                    open: string;
                  } | null;
                };
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                ehrRefs: string[];
                escalationContacts: string[];
                holidays: string[];
                id: string;
                name: string;
                ownerPool: string | null;
                quietHours: {
                  end: string;
                  start: string;
                } | null;
                /** Format: date-time */
                updatedAt: string;
                updatedBy: string;
                updatedByName?: string;
                version: number;
                zone: string;
              } | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a site's fields given (the others stay); expectedVersion refuses a stale change */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description per weekday: open and close, or null (closed); days left out keep their hours */
            businessHours?: {
              fri?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              mon?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              sat?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              sun?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              thu?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              tue?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
              wed?: {
                /** @description HH:mm */
                close: string;
                /** @description HH:mm */
                open: string;
              } | null;
            };
            /** @description EHR organizations and locations (Organization/1) */
            ehrRefs?: string[];
            escalationContacts?: string[];
            /** @description the version you saw */
            expectedVersion?: number;
            /** @description replaces the list */
            holidays?: string[];
            name?: string;
            ownerPool?: string | null;
            quietHours?: {
              /** @description HH:mm */
              end: string;
              /** @description HH:mm */
              start: string;
            } | null;
            /** @description IANA time zone, e.g. America/Los_Angeles */
            zone?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              businessHours: {
                fri: {
                  close: string;
                  open: string;
                } | null;
                mon: {
                  close: string;
                  open: string;
                } | null;
                sat: {
                  close: string;
                  open: string;
                } | null;
                sun: {
                  close: string;
                  open: string;
                } | null;
                thu: {
                  close: string;
                  open: string;
                } | null;
                tue: {
                  close: string;
                  open: string;
                } | null;
                wed: {
                  close: string;
                  open: string;
                } | null;
              };
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              ehrRefs: string[];
              escalationContacts: string[];
              holidays: string[];
              id: string;
              name: string;
              ownerPool: string | null;
              quietHours: {
                end: string;
                start: string;
              } | null;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              updatedByName?: string;
              version: number;
              zone: string;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/staff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Staff by name, with their sites, pools and lead (at the caller's sites; site narrows it) */
    get: {
      parameters: {
        query?: {
          site?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                displayName: string;
                lead: {
                  displayName: string;
                  title: string | null;
                  userId: string;
                  username: string;
                } | null;
                pools: {
                  pool: string;
                  site: string;
                }[];
                practitioner: string | null;
                sites: string[];
                title: string | null;
                /** Format: date-time */
                updatedAt: string;
                updatedBy: string;
                userId: string;
                username: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/staff/{user}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One staff member by user id or username */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id or username */
          user: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              displayName: string;
              lead: {
                displayName: string;
                title: string | null;
                userId: string;
                username: string;
              } | null;
              pools: {
                pool: string;
                site: string;
              }[];
              practitioner: string | null;
              sites: string[];
              title: string | null;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              userId: string;
              username: string;
              version: number;
            };
          };
        };
      };
    };
    /** Create a user's staff record (displayName required) or change the fields given; a lead cycle, an unknown lead or a pool at another site is refused */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id or username */
          user: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description required the first time */
            displayName?: string;
            /** @description the version you saw */
            expectedVersion?: number;
            lead?: string | null;
            /** @description replaces the list; each at one of the member's sites */
            pools?: {
              /** @description e.g. north-coordinators */
              pool: string;
              site: string;
            }[];
            practitioner?: string | null;
            /** @description replaces the list */
            sites?: string[];
            title?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              displayName: string;
              lead: {
                displayName: string;
                title: string | null;
                userId: string;
                username: string;
              } | null;
              pools: {
                pool: string;
                site: string;
              }[];
              practitioner: string | null;
              sites: string[];
              title: string | null;
              /** Format: date-time */
              updatedAt: string;
              updatedBy: string;
              userId: string;
              username: string;
              version: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API tokens (never their secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                expiresAt: string;
                id: string;
                lastUsedAt: string | null;
                name: string;
                principalId: string;
                /** @enum {unknown} */
                principalKind: 'user' | 'service';
                principalName?: string;
                revokedAt: string | null;
                scopes: string[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Issue an API token (shown once; stored hashed) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            currentCode?: string;
            currentPassword?: string;
            expiresInDays: number;
            name: string;
            principalId: string;
            /** @enum {unknown} */
            principalKind: 'user' | 'service';
            scopes: (
              | (
                  | '*'
                  | 'account.self'
                  | 'phi.read'
                  | 'phi.search'
                  | 'phi.write'
                  | 'phi.export'
                  | 'proposal.create'
                  | 'review.read'
                  | 'review.decide'
                  | 'approval_policy.manage'
                  | 'audit.read'
                  | 'audit.export'
                  | 'audit.verify'
                  | 'break_glass.review'
                  | 'users.manage'
                  | 'grants.manage'
                  | 'tokens.manage'
                  | 'egress.manage'
                  | 'config.manage'
                  | 'keys.rotate'
                  | 'ehr.ingest'
                  | 'ehr.write'
                  | 'message.send'
                  | 'retention.manage'
                  | 'retention.purge'
                  | 'incident.manage'
                  | 'directory.read'
                  | 'directory.learn'
                  | 'staff.read'
                  | 'staff.manage'
                  | 'automation.run'
                  | 'automation.runs.read'
                  | 'automation.replay'
                  | 'automation.maps.propose'
                  | 'automation.maps.review'
                  | 'automation.credentials.manage'
                  | 'events.subscribe'
                  | 'ai.call'
                  | 'intake.read'
                  | 'intake.work'
                  | 'intake.upload'
                  | 'intake.manage'
                  | 'handoff.read'
                  | 'handoff.work'
                  | 'handoff.create'
                )
              | string
            )[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              expiresAt: string;
              id: string;
              token: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              expiresAt: string;
              id: string;
              token: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API token, effective at once */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List users */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                breakGlassEligible: boolean;
                /** Format: date-time */
                createdAt: string;
                disabledAt: string | null;
                id: string;
                lockedUntil: string | null;
                totpEnrolled: boolean;
                username: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a user */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            password: string;
            username: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              breakGlassEligible: boolean;
              /** Format: date-time */
              createdAt: string;
              disabledAt: string | null;
              id: string;
              lockedUntil: string | null;
              totpEnrolled: boolean;
              username: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              breakGlassEligible: boolean;
              /** Format: date-time */
              createdAt: string;
              disabledAt: string | null;
              id: string;
              lockedUntil: string | null;
              totpEnrolled: boolean;
              username: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/break-glass': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Put a user on or off the break-glass list */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            eligible: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a user: ends sessions and revokes tokens at once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set a password: your own (with your current password and code, or within 5 minutes of signing in; your other sessions end), or a user's as admin (their sessions end) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            currentCode?: string;
            currentPassword?: string;
            newPassword: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/totp': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start TOTP enrolment (for yourself, or as admin); nothing is stored until confirmed */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              secret: string;
              uri: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              secret: string;
              uri: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/totp/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm TOTP enrolment with a current code; for your own account also with your current password and code (or within 5 minutes of signing in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            code: string;
            currentCode?: string;
            currentPassword?: string;
            secret: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/users/{id}/unlock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lift every sign-in lock on a user (from every address) and clear the failure counts */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              details: {
                message: string;
                path?: string;
              }[];
              message: string;
              requestId: string;
            };
          };
        };
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              locksLifted: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
};
export type webhooks = Record<string, never>;
export type components = {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
