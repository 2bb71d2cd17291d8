INSERT INTO ops.validation_results (_load_id, entity, rule, expectation, column_name, severity, success,
                                    element_count, unexpected_count, details)
VALUES ($load_id, $entity, $rule, $expectation, $column_name, $severity, $success, $element_count,
        $unexpected_count, $details)
